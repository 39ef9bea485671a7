package dev.tokenmill.mixing.augment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * spaces. Loaded once per JVM and folder; the data files stay in memory (about 22 MB for WordNet 3.0).
 */
public final class WordNet {
    private static final String[] POS = {"noun", "verb", "adj", "adv"};
    private static final Map<Path, WordNet> LOADED = new HashMap<>();

    private final Map<String, List<long[]>> index = new HashMap<>(); // lemma → (pos, offset) pairs
    private final byte[][] data = new byte[POS.length][];

    private WordNet(Path dir) throws IOException {
        for (int p = 0; p < POS.length; p++) {
            data[p] = Files.readAllBytes(dir.resolve("data." + POS[p]));
            for (String line : Files.readAllLines(dir.resolve("index." + POS[p]), StandardCharsets.ISO_8859_1)) {
                if (line.isEmpty() || line.charAt(0) == ' ') {
                    continue; // the licence header
                }
                String[] f = line.split(" ");
                int synsets = Integer.parseInt(f[2]);
                int pointers = Integer.parseInt(f[3]);
                int first = 4 + pointers + 2;
                List<long[]> senses = index.computeIfAbsent(f[0], k -> new ArrayList<>());
                for (int s = 0; s < synsets && first + s < f.length; s++) {
                    senses.add(new long[] {p, Long.parseLong(f[first + s])});
                }
            }
        }
    }

    /** The database in {@code dir}, loaded on first use; a one-line error when the folder has none. */
    public static synchronized WordNet at(Path dir) {
        return LOADED.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> {
            if (!Files.isRegularFile(d.resolve("index.noun")) || !Files.isRegularFile(d.resolve("data.noun"))) {
                throw new IllegalArgumentException("no WordNet database (index.noun, data.noun) in " + d
                        + ": install Debian's wordnet-base, or give the folder of one");
            }
            try {
                return new WordNet(d);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read WordNet in " + d + ": " + e.getMessage(), e);
            }
        });
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
