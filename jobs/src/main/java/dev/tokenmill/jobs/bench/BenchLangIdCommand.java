package dev.tokenmill.jobs.bench;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.quality.lang.LanguageIdentifier;
import dev.tokenmill.quality.lang.LanguageIdentifiers;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Language ID comparison on labelled text: accuracy per language on whole paragraphs and on short prefixes,
 * single-thread throughput, and heap after loading, for each detector in the same JVM.
 */
@Command(
        name = "langid",
        mixinStandardHelpOptions = true,
        description = "Benchmark: language ID detectors on Debian Handbook paragraphs (accuracy, speed, memory).")
public final class BenchLangIdCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--handbook",
            defaultValue = "/usr/share/doc/debian-handbook/html",
            description = "The handbook's html folder (apt install debian-handbook); default ${DEFAULT-VALUE}.")
    Path handbook;

    @Option(
            names = "--per-language",
            defaultValue = "300",
            description = "Paragraphs per language (default ${DEFAULT-VALUE}).")
    int perLanguage;

    @Option(
            names = "--short-chars",
            defaultValue = "40",
            description = "Short-text prefix length (default ${DEFAULT-VALUE}).")
    int shortChars;

    @Option(
            names = "--detectors",
            split = ",",
            defaultValue = "optimaize,lingua-low,lingua",
            description = "Detectors to compare (default ${DEFAULT-VALUE}).")
    List<String> detectors;

    @Override
    public void run() {
        if (!Files.isDirectory(handbook)) {
            throw new UserError("handbook folder " + handbook + " does not exist (apt install debian-handbook)");
        }
        PrintWriter out = spec.commandLine().getOut();
        Map<String, List<String>> data = HandbookParagraphs.load(handbook, perLanguage, 80, 42);
        long total = data.values().stream().mapToLong(List::size).sum();
        long chars = data.values().stream()
                .flatMap(List::stream)
                .mapToLong(String::length)
                .sum();
        out.printf(
                "%d languages, %d paragraphs, %.1f MB; short text = first %d chars%n",
                data.size(), total, chars / 1e6, shortChars);
        Map<String, Map<String, String>> perLang = new TreeMap<>();
        for (String name : detectors) {
            long heap0 = usedHeap();
            long t0 = System.nanoTime();
            LanguageIdentifier id = LanguageIdentifiers.create(name, 42);
            id.identify("warm up the models with a sentence in English");
            double load = (System.nanoTime() - t0) / 1e9;
            // models load lazily per language in Lingua: run one pass untimed so every model is in memory
            for (List<String> list : data.values()) {
                list.forEach(id::identify);
            }
            long heap = usedHeap() - heap0;
            int fullOk = 0;
            int shortOk = 0;
            t0 = System.nanoTime();
            for (var e : data.entrySet()) {
                int ok = 0;
                for (String p : e.getValue()) {
                    if (id.identify(p).lang().equals(e.getKey())) {
                        ok++;
                    }
                }
                fullOk += ok;
                perLang.computeIfAbsent(e.getKey(), k -> new TreeMap<>())
                        .put(
                                name,
                                String.format("%.3f", ok / (double) e.getValue().size()));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            for (var e : data.entrySet()) {
                int ok = 0;
                for (String p : e.getValue()) {
                    if (id.identify(HandbookParagraphs.prefix(p, shortChars))
                            .lang()
                            .equals(e.getKey())) {
                        ok++;
                    }
                }
                shortOk += ok;
                perLang.get(e.getKey())
                        .put(
                                name + " short",
                                String.format("%.3f", ok / (double) e.getValue().size()));
            }
            out.printf(
                    "%-11s accuracy paragraphs %.4f, short %.4f | %.2f MB/s single thread | load %.1f s, heap +%d MB%n",
                    name, fullOk / (double) total, shortOk / (double) total, chars / 1e6 / seconds, load, heap >> 20);
            out.flush();
        }
        List<String> header = new ArrayList<>(perLang.values().iterator().next().keySet());
        out.println("lang  " + String.join("  ", header));
        perLang.forEach((lang, row) -> out.println(lang + "    " + String.join("  ", row.values())));
        out.flush();
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
