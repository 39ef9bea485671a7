package dev.tokenmill.jobs.dedup;

import dev.tokenmill.dedup.bench.NearDuplicateCorpus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The demo's near duplicates. Europarl has none (every speech is unique), so the demo adds "reposts": 400 speeches
 * copied with one edit each — boilerplate, typos, truncation, moved sentences or word edits at 1–20 % — made by the
 * labelled benchmark's edit functions with seed 42, written next to the corpus as {@code europarl-reposts.lines.txt.gz}
 * in the same title/date/text layout. Some stay over Jaccard 0.7 and are removed by dedup-fuzzy, some do not.
 */
public final class DemoReposts {
    public static final String FILE = "europarl-reposts.lines.txt.gz";
    private static final double[] RATES = {0.01, 0.02, 0.05, 0.1, 0.2};

    private DemoReposts() {}

    /** Writes the reposts file next to {@code corpus} unless it is there already; returns its path. */
    public static Path ensure(Path corpus) {
        Path out = corpus.resolveSibling(FILE);
        if (Files.exists(out) || !Files.exists(corpus)) {
            return out;
        }
        List<String[]> speeches = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(corpus)), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                String[] f = line.split("\t", 3);
                if (f.length == 3 && f[2].split("\\s+").length >= 100) {
                    speeches.add(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SplittableRandom random = new SplittableRandom(42);
        List<String[]> picked = new ArrayList<>();
        for (int i = 0; i < 400 && !speeches.isEmpty(); i++) {
            picked.add(speeches.remove(random.nextInt(speeches.size())));
        }
        TreeSet<String> words = new TreeSet<>();
        picked.forEach(f ->
                words.addAll(List.of(f[2].toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}]+"))));
        words.remove("");
        List<String> vocabulary = new ArrayList<>(words);
        Path tmp = out.resolveSibling(FILE + ".tmp");
        try (Writer w =
                new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(tmp)), StandardCharsets.UTF_8)) {
            for (int i = 0; i < picked.size(); i++) {
                String[] f = picked.get(i);
                String kind = NearDuplicateCorpus.EDITS[i % NearDuplicateCorpus.EDITS.length];
                double rate = RATES[(i / NearDuplicateCorpus.EDITS.length) % RATES.length];
                String text = NearDuplicateCorpus.edit(f[2], kind, rate, vocabulary, random)
                        .replaceAll("[\t\r\n]+", "   ");
                w.write(f[0] + "\t" + f[1] + "\t" + text + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.move(tmp, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
