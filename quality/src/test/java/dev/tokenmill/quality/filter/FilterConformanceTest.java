package dev.tokenmill.quality.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenmill.quality.nltk.NltkReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every reference preset against an independent Python statement of its rules ({@code filter_reference.py}: DataTrove
 * and TFDS semantics on Debian's python3-nltk), per document: the same decision, the same first failing rule, the
 * same kept text, and every signal within 1e-9. Documents: English Europarl documents cut into passages, and
 * generated documents aimed at every threshold ({@link ConformanceCorpus}); the test also checks that each rule's
 * signal falls on both sides of its threshold in enough documents to mean something.
 */
class FilterConformanceTest {
    private static final Set<String> BAD_WORDS = Set.of("badword", "two words");

    @TempDir
    Path dir;

    private static final Map<String, Supplier<TextFilter>> PRESETS = new LinkedHashMap<>();

    static {
        PRESETS.put("gopher_quality", () -> new GopherQualityFilter(Map.of()));
        PRESETS.put("gopher_repetition", () -> new GopherRepetitionFilter(Map.of()));
        PRESETS.put("c4", () -> new C4Filter(C4Filter.NAME, Map.of(), BAD_WORDS));
        PRESETS.put("c4_datatrove", () -> new C4Filter(C4Filter.DATATROVE, Map.of(), Set.of()));
        PRESETS.put("fineweb", () -> new FineWebFilter(FineWebFilter.NAME, Map.of()));
        PRESETS.put("fineweb_datatrove", () -> new FineWebFilter(FineWebFilter.DATATROVE, Map.of()));
    }

    @Test
    void everyPresetDecidesAsItsSourceDoes() throws Exception {
        Assumptions.assumeTrue(
                NltkReference.available() || System.getenv("CI") != null, "python3-nltk is not installed");
        List<String> docs = corpus();
        assertTrue(docs.size() >= 3_000, "corpus of " + docs.size());
        Path badWords = dir.resolve("bad-words.txt");
        Files.write(badWords, BAD_WORDS);
        List<String> out = NltkReference.run(
                "filter_reference.py",
                docs,
                dir,
                Path.of("src/main/resources/dev/tokenmill/quality/nltk/punkt-english.json")
                        .toAbsolutePath()
                        .toString(),
                Path.of("src/main/resources/dev/tokenmill/quality/filter/datatrove-terminal-punctuation.txt")
                        .toAbsolutePath()
                        .toString(),
                badWords.toString());
        assertEquals(docs.size() + 1, out.size());

        StringBuilder report = new StringBuilder();
        Map<String, Integer> rulesSeen = new TreeMap<>();
        for (var preset : PRESETS.entrySet()) {
            TextFilter filter = preset.getValue().get();
            double[] signals = new double[filter.signals().size()];
            int differing = 0;
            List<String> examples = new ArrayList<>();
            for (int i = 0; i < docs.size(); i++) {
                JsonNode expected = NltkReference.JSON.readTree(out.get(i + 1)).get(preset.getKey());
                java.util.Arrays.fill(signals, Double.NaN);
                TextFilter.Outcome actual = filter.evaluate(docs.get(i), signals, 0);
                String expectedRule = expected.get("rule").isNull()
                        ? null
                        : expected.get("rule").asText();
                rulesSeen.merge(
                        preset.getKey() + ": " + (expectedRule == null ? "kept" : expectedRule), 1, Integer::sum);
                String why = difference(expected, expectedRule, actual, signals, filter.signals());
                if (why != null) {
                    differing++;
                    if (examples.size() < 8) {
                        examples.add("  doc " + i + ": " + why + "\n    "
                                + NltkReference.JSON.writeValueAsString(
                                        docs.get(i).length() > 400
                                                ? docs.get(i).substring(0, 400) + "…"
                                                : docs.get(i)));
                    }
                }
            }
            double agreement = 1 - (double) differing / docs.size();
            System.out.printf(
                    "conformance %-18s %d documents, %d differ (%.2f %% agree)%n",
                    preset.getKey(), docs.size(), differing, 100 * agreement);
            examples.forEach(System.out::println);
            if (agreement < 0.999) {
                report.append(preset.getKey())
                        .append(String.format(": %.2f %% agree (%d differ)%n", 100 * agreement, differing))
                        .append(String.join("\n", examples))
                        .append('\n');
            }
        }
        assertTrue(report.isEmpty(), "python3-nltk " + out.get(0) + "\n" + report);
        for (var preset : PRESETS.keySet()) {
            assertTrue(
                    rulesSeen.getOrDefault(preset + ": kept", 0) >= 50,
                    "too few kept documents for " + preset + ": " + rulesSeen);
        }
        assertCoverage(docs, out);
    }

    /** Null when tokenmill and the reference agree on the document; else what differs. */
    private static String difference(
            JsonNode expected, String expectedRule, TextFilter.Outcome actual, double[] signals, List<String> names) {
        if (!java.util.Objects.equals(expectedRule, actual.rule())) {
            return "rule " + expectedRule + " vs ours " + actual.rule();
        }
        if (expectedRule == null && !expected.get("text").asText().equals(actual.text())) {
            return "kept text differs";
        }
        JsonNode values = expected.get("signals");
        for (int k = 0; k < names.size(); k++) {
            double want = values.get(k).asDouble();
            if (!(Math.abs(want - signals[k]) <= 1e-9)) {
                return names.get(k) + " " + want + " vs ours " + signals[k];
            }
        }
        return null;
    }

    /** Each thresholded signal of the reference output has documents on both sides of its threshold. */
    private static void assertCoverage(List<String> docs, List<String> out) throws Exception {
        Map<String, double[]> thresholds = new LinkedHashMap<>(); // preset/signal index -> {threshold}
        String[] gq = {"0:50", "1:3", "1:10", "2:0.1", "3:0.1", "4:0.9", "5:0.3", "6:0.8", "7:2"};
        String[] rep = {"0:0.3", "1:0.2", "2:0.3", "3:0.2", "4:0.2", "5:0.18", "6:0.16", "7:0.15", "8:0.14", "9:0.13"};
        String[] c4 = {"2:3"};
        String[] c4dt = {"2:5"};
        String[] fw = {"0:0.12", "1:0.67", "2:0.1", "3:0.3"};
        String[] fwdt = {"2:0.01"};
        Map<String, String[]> spec = Map.of(
                "gopher_quality",
                gq,
                "gopher_repetition",
                rep,
                "c4",
                c4,
                "c4_datatrove",
                c4dt,
                "fineweb",
                fw,
                "fineweb_datatrove",
                fwdt);
        List<String> thin = new ArrayList<>();
        for (var e : spec.entrySet()) {
            for (String s : e.getValue()) {
                int k = Integer.parseInt(s.substring(0, s.indexOf(':')));
                double t = Double.parseDouble(s.substring(s.indexOf(':') + 1));
                int below = 0;
                int above = 0;
                for (int i = 0; i < docs.size(); i++) {
                    double v = NltkReference.JSON
                            .readTree(out.get(i + 1))
                            .get(e.getKey())
                            .get("signals")
                            .get(k)
                            .asDouble();
                    if (v < t) {
                        below++;
                    } else if (v > t) {
                        above++;
                    }
                }
                if (below < 20 || above < 20) {
                    thin.add(e.getKey() + " signal " + k + " around " + t + ": " + below + " below, " + above
                            + " above");
                }
            }
        }
        assertTrue(thin.isEmpty(), "thresholds the corpus does not straddle:\n" + String.join("\n", thin));
    }

    /** English Europarl documents as passages of 50-3,000 words, then the generated documents. */
    private static List<String> corpus() throws Exception {
        List<String> docs = new ArrayList<>();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(20261203L);
        for (String line : NltkReference.europarl(40_000)) {
            String[] words = line.split(" ");
            long english = java.util.Arrays.stream(words)
                    .filter(w -> Set.of("the", "of", "and", "to").contains(w))
                    .count();
            if (words.length < 50 || english * 10 < words.length) {
                continue;
            }
            int take = Math.min(words.length, rng.nextInt(50, 3_000));
            docs.add(String.join(" ", java.util.Arrays.copyOf(words, take)));
            if (docs.size() == 600) {
                break;
            }
        }
        docs.addAll(ConformanceCorpus.synthetic(3_000, 7L));
        return docs;
    }
}
