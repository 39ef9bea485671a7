package dev.tokenmill.mixing.augment;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Synonyms from a Princeton WordNet database in its own file format (Debian's {@code wordnet-base} puts WordNet 3.0
 * at {@code /usr/share/wordnet}): {@code index.POS} maps a lemma to its synsets' byte offsets, most frequent sense
 * first, and {@code data.POS} holds each synset's words at that offset (format: wndb(5WN)). The synonyms of a word
 * are the other words of every synset of every part of speech it has, in that order, as NLTK's
 * {@code wordnet.synsets(word)} lemmas give them to EDA; multi-word lemmas ({@code hot_dog}) become words with
 * spaces. Built from the files' bytes (the stage reads them through its resources and broadcasts them), once per
 * JVM and database; the data files stay in memory (about 22 MB for WordNet 3.0).
 */
public final class WordNet {
    private static final String[] POS = {"noun", "verb", "adj", "adv"};
    /** The files a database is made of. */
    public static final List<String> FILES = List.of(
            "index.noun", "index.verb", "index.adj", "index.adv", "data.noun", "data.verb", "data.adj", "data.adv");

    private static final Map<String, WordNet> LOADED = new HashMap<>();

    private final Map<String, List<long[]>> index = new HashMap<>(); // lemma → (pos, offset) pairs
    private final byte[][] data = new byte[POS.length][];

    private WordNet(Map<String, byte[]> files) {
        for (int p = 0; p < POS.length; p++) {
            data[p] = files.get("data." + POS[p]);
            String lines = new String(files.get("index." + POS[p]), StandardCharsets.ISO_8859_1);
            for (String line : lines.split("\n")) {
                if (line.isEmpty() || line.charAt(0) == ' ') {
                    continue; // the licence header
                }
                String[] f = line.split(" ");
                int synsets = Integer.parseInt(f[2]);
                int pointers = Integer.parseInt(f[3]);
                int first = 4 + pointers + 2;
                List<long[]> senses = this.index.computeIfAbsent(f[0], k -> new ArrayList<>());
                for (int s = 0; s < synsets && first + s < f.length; s++) {
                    senses.add(new long[] {p, Long.parseLong(f[first + s].strip())});
                }
            }
        }
    }

    /**
     * The database made of {@code files} (each of {@link #FILES} by name), built once per JVM for {@code key};
     * a one-line error when a file is missing.
     */
    public static synchronized WordNet of(String key, java.util.function.Supplier<Map<String, byte[]>> files) {
        WordNet w = LOADED.get(key);
        if (w == null) {
            Map<String, byte[]> bytes = files.get();
            for (String f : FILES) {
                if (bytes.get(f) == null) {
                    throw new IllegalArgumentException("no WordNet database (" + f + " is missing): install Debian's"
                            + " wordnet-base, or give the folder of one");
                }
            }
            w = new WordNet(bytes);
            LOADED.put(key, w);
        }
        return w;
    }

    /** The other words of the synsets of {@code word} (lower-cased lookup), without the word itself. */
    public List<String> synonyms(String word) {
        String lemma = word.toLowerCase(Locale.ROOT);
        List<long[]> senses = index.get(lemma);
        if (senses == null) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (long[] sense : senses) {
            for (String w : synsetWords(data[(int) sense[0]], (int) sense[1])) {
                String s = w.replace('_', ' ');
                if (!s.equalsIgnoreCase(lemma)) {
                    out.add(s);
                }
            }
        }
        return List.copyOf(out);
    }

    /** The words of the synset whose line starts at {@code offset}: field 4 is their count in hex, then word, lex_id. */
    private static List<String> synsetWords(byte[] file, int offset) {
        int end = offset;
        while (end < file.length && file[end] != '\n') {
            end++;
        }
        String[] f = new String(file, offset, end - offset, StandardCharsets.ISO_8859_1).split(" ");
        int count = Integer.parseInt(f[3], 16);
        List<String> words = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String w = f[4 + 2 * i];
            int marker = w.indexOf('('); // adjective position markers: "galore(ip)"
            words.add(marker > 0 ? w.substring(0, marker) : w);
        }
        return words;
    }
}
