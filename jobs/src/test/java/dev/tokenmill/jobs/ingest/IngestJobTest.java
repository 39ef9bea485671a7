package dev.tokenmill.jobs.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.jobs.JobFailure;
import dev.tokenmill.jobs.TestLake;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.recipe.IngestCli;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestJobTest {
    @TempDir
    Path tmp;

    /** One good record and one of each kind of bad record, with their expected line numbers. */
    private static byte[] mixedJsonl() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        String lines = String.join(
                "\n",
                "{\"text\": \"Hello world, a good document.\", \"url\": \"http://example.org/1\"}", // 1 ok
                "{\"text\": \"unterminated", // 2 malformed-json
                "{\"body\": \"no text field\"}", // 3 missing-text
                "{\"text\": \"   \"}", // 4 empty-text
                "[1, 2, 3]", // 5 not-an-object
                "{\"text\": 42}", // 6 text-not-string
                ""); // 7 blank (skipped)
        b.writeBytes(lines.getBytes(StandardCharsets.UTF_8));
        b.writeBytes("\n{\"text\": \"bad \u00ff".getBytes(StandardCharsets.ISO_8859_1)); // 8 invalid-utf8 (lone 0xFF)
        b.writeBytes("\"}\n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes("{\"text\": \"Second good one.\"}\r\n".getBytes(StandardCharsets.UTF_8)); // 9 ok, CRLF
        return b.toByteArray();
    }

    private IngestJob.Result ingest(
            Lake lake, String source, String input, String format, String idField, boolean force) {
        return IngestStep.ingest(
                lake, IngestCli.options(source, input, format, "text", idField, null, false), force, 7L);
    }

    @Test
    void jsonlPlainGzipAndZstdWithEveryKindOfBadRecord() throws Exception {
        Path in = tmp.resolve("in");
        byte[] data = mixedJsonl();
        TestLake.writeBytes(in.resolve("a.jsonl"), data);
        TestLake.gzip(in.resolve("b.jsonl.gz"), data);
        TestLake.zstd(in.resolve("c.jsonl.zst"), data);
        Lake lake = TestLake.lake(tmp.resolve("lake"));

        IngestJob.Result r = ingest(lake, "web", in.toString(), null, null, false);
        assertEquals(3, r.files());
        assertEquals(6, r.added());
        assertEquals(18, r.quarantined());
        assertEquals(
                Map.of(
                        "malformed-json",
                        3L,
                        "missing-text",
                        3L,
                        "empty-text",
                        3L,
                        "not-an-object",
                        3L,
                        "text-not-string",
                        3L,
                        "invalid-utf8",
                        3L),
                r.quarantinedByRule());

        Dataset<Row> raw = lake.read(lake.locate("raw/web"), 0);
        assertEquals(List.of("id", "source", "text", "meta", "file", "line"), List.of(raw.columns()));
        List<Row> docs = raw.orderBy("file", "line").collectAsList();
        assertEquals("Hello world, a good document.", docs.get(0).getString(2));
        assertEquals("{\"url\":\"http://example.org/1\"}", docs.get(0).getString(3));
        assertEquals(1L, docs.get(0).getLong(5));
        assertEquals("Second good one.", docs.get(1).getString(2), "CRLF line end stripped");
        assertEquals(9L, docs.get(1).getLong(5));
        assertEquals(6, raw.select("id").distinct().count(), "ids are unique per file and line");

        Dataset<Row> q = lake.read(lake.locate("quarantine/web"), 0);
        Map<String, Long> lineOf = new HashMap<>();
        for (Row row : q.filter("file like '%a.jsonl'").collectAsList()) {
            lineOf.put(row.getAs("rule"), row.getAs("line"));
        }
        assertEquals(
                Map.of(
                        "malformed-json",
                        2L,
                        "missing-text",
                        3L,
                        "empty-text",
                        4L,
                        "not-an-object",
                        5L,
                        "text-not-string",
                        6L,
                        "invalid-utf8",
                        8L),
                lineOf);
        Row bad = q.filter("rule = 'invalid-utf8' and file like '%a.jsonl'").first();
        byte[] rawBytes = bad.getAs("raw_bytes");
        assertNotNull(rawBytes, "invalid UTF-8 keeps the original bytes");
        assertEquals((byte) 0xFF, rawBytes[rawBytes.length - 3]);
        assertTrue(q.filter("rule = 'malformed-json'")
                .first()
                .<String>getAs("raw")
                .startsWith("{\"text\": \"unterminated"));

        Lineage lineage = lake.history(lake.locate("raw/web")).get(0).lineage();
        assertEquals("ingest", lineage.stage());
        assertEquals(24, lineage.rowsIn());
        assertEquals(6, lineage.rowsOut());
        assertEquals(18, lineage.rowsRejected());
        assertEquals(7L, lineage.seed());
        assertEquals(3L, lineage.inputs().get(0).files());
    }

    @Test
    void reingestingTheSameFilesAddsNothingAndNewFilesAddOnlyThemselves() throws Exception {
        Path in = tmp.resolve("in");
        TestLake.write(in.resolve("part-1.jsonl"), "{\"text\":\"one\"}\n{\"text\":\"two\"}\nnot json\n");
        Lake lake = TestLake.lake(tmp.resolve("lake"));
        TableLocation raw = lake.locate("raw/s");

        IngestJob.Result first = ingest(lake, "s", in.toString(), null, null, false);
        assertEquals(2, first.added());
        assertEquals(1, first.quarantined());
        assertEquals(0, first.version());

        IngestJob.Result again = ingest(lake, "s", in.toString(), null, null, false);
        assertTrue(again.upToDate(), "unchanged files are skipped by fingerprint");

        IngestJob.Result forced = ingest(lake, "s", in.toString(), null, null, true);
        assertFalse(forced.upToDate());
        assertEquals(0, forced.added());
        assertEquals(2, forced.alreadyPresent());
        assertEquals(1, forced.quarantined(), "the bad line was read again");
        assertEquals(0, forced.quarantinedNew(), "and is in quarantine already");
        assertEquals(
                "ingest s → raw/s@0: 3 record(s) from 1 file(s): 0 added, 2 already present, 1 quarantined "
                        + "{malformed-json=1} → quarantine/s (0 new, 1 already there) (1.0 s)",
                dev.tokenmill.jobs.recipe.IngestReport.line("s", forced, 1));
        assertEquals(0, lake.latestVersion(raw), "nothing new: no commit");
        assertEquals(
                1,
                lake.read(lake.locate("quarantine/s"), lake.latestVersion(lake.locate("quarantine/s")))
                        .count());

        TestLake.write(in.resolve("part-2.jsonl"), "{\"text\":\"three\"}\n");
        IngestJob.Result more = ingest(lake, "s", in.toString(), null, null, false);
        assertEquals(1, more.added());
        assertEquals(2, more.alreadyPresent());
        assertEquals(1, lake.latestVersion(raw));
        assertEquals(3, lake.read(raw, 1).count());
        assertEquals(2, lake.read(raw, 0).count(), "time travel to the first version");
    }

    @Test
    void idFieldIsUsedAndDuplicateIdsAreQuarantined() throws Exception {
        Path in = TestLake.write(
                tmp.resolve("ids.jsonl"),
                "{\"doc\":\"a\",\"text\":\"first\"}\n{\"doc\":\"b\",\"text\":\"second\"}\n{\"doc\":\"a\",\"text\":\"again\"}\n{\"text\":\"no id\"}\n");
        Lake lake = TestLake.lake(tmp.resolve("lake"));
        IngestJob.Result r = ingest(lake, "ids", in.toString(), "jsonl", "doc", false);
        assertEquals(2, r.added());
        assertEquals(Map.of("duplicate-id", 1L, "missing-id", 1L), r.quarantinedByRule());
        List<Row> rows = lake.read(lake.locate("raw/ids"), 0).orderBy("id").collectAsList();
        assertEquals("a", rows.get(0).getString(0));
        assertEquals("first", rows.get(0).getString(2), "the first occurrence wins");
        assertNull(rows.get(0).get(3), "the id field is not repeated in meta");
    }

    @Test
    void parquetInputWithAnIdColumnAndNullText() {
        StructType schema = new StructType()
                .add("uid", DataTypes.StringType)
                .add("content", DataTypes.StringType)
                .add("lang", DataTypes.StringType);
        List<Row> rows = List.of(
                RowFactory.create("u1", "Bonjour le monde.", "fr"),
                RowFactory.create("u2", null, "en"),
                RowFactory.create("u3", "Hello.", "en"));
        Path pq = tmp.resolve("pq");
        TestLake.spark().createDataFrame(rows, schema).coalesce(1).write().parquet(pq.toString());
        Lake lake = TestLake.lake(tmp.resolve("lake"));
        IngestJob.Result r = IngestStep.ingest(
                lake, IngestCli.options("pq", pq.toString(), "parquet", "content", "uid", null, false), false, 7L);
        assertEquals(2, r.added());
        assertEquals(Map.of("missing-text", 1L), r.quarantinedByRule());
        Row fr = lake.read(lake.locate("raw/pq"), 0).filter("id = 'u1'").first();
        assertEquals("Bonjour le monde.", fr.getAs("text"));
        assertEquals("{\"lang\":\"fr\"}", fr.getAs("meta"));
        Row q = lake.read(lake.locate("quarantine/pq"), 0).first();
        assertEquals(2L, q.<Long>getAs("line"), "parquet rows are numbered from 1 within their file");
        assertTrue(q.<String>getAs("raw").contains("u2"));
    }

    @Test
    void textPerFilePerLineAndTsv() throws Exception {
        Lake lake = TestLake.lake(tmp.resolve("lake"));
        TestLake.write(tmp.resolve("books/a.txt"), "Line one.\nLine two.\n");
        TestLake.write(tmp.resolve("books/b.txt"), "Another book.\n");
        assertEquals(
                2,
                IngestStep.ingest(
                                lake,
                                IngestCli.options(
                                        "books", tmp.resolve("books").toString(), "text", "text", null, null, false),
                                false,
                                7L)
                        .added());
        assertEquals(
                3,
                IngestStep.ingest(
                                lake,
                                IngestCli.options(
                                        "lines",
                                        tmp.resolve("books/*.txt").toString(),
                                        "text",
                                        "text",
                                        null,
                                        null,
                                        true),
                                false,
                                7L)
                        .added());
        TestLake.write(tmp.resolve("t.tsv"), "T1\t2001-01-01\tSome text.\nbroken line\nT2\t2002-02-02\tMore text.\n");
        IngestJob.Result tsv = IngestStep.ingest(
                lake,
                IngestCli.options(
                        "tsv",
                        tmp.resolve("t.tsv").toString(),
                        "tsv",
                        "text",
                        null,
                        List.of("title", "date", "text"),
                        false),
                false,
                7L);
        assertEquals(2, tsv.added());
        assertEquals(Map.of("wrong-field-count", 1L), tsv.quarantinedByRule());
        Row t1 = lake.read(lake.locate("raw/tsv"), 0).orderBy("line").first();
        assertEquals("{\"title\":\"T1\",\"date\":\"2001-01-01\"}", t1.getAs("meta"));
    }

    @Test
    void aFolderOfMixedFormatsIsReadFileByFileByExtension() throws Exception {
        Path in = tmp.resolve("mixed");
        TestLake.write(in.resolve("a.jsonl"), "{\"text\":\"json one\"}\n{\"text\":\"json two\"}\n");
        TestLake.gzip(in.resolve("b.jsonl.gz"), "{\"text\":\"gzipped json\"}\n".getBytes(StandardCharsets.UTF_8));
        TestLake.write(in.resolve("c.txt"), "A plain text file.\nIts second line.\n");
        TestLake.write(in.resolve("d.tsv"), "T1\tfirst tsv text\nT2\tsecond tsv text\n");
        Lake lake = TestLake.lake(tmp.resolve("lake"));
        IngestJob.Result r = IngestStep.ingest(
                lake,
                IngestCli.options("m", in.toString(), null, "text", null, List.of("title", "text"), false),
                false,
                7L);
        assertEquals(Map.of(), r.quarantinedByRule(), "no file is read as another format");
        assertEquals(6, r.added());
        List<String> texts = lake.read(lake.locate("raw/m"), 0)
                .orderBy("text")
                .select("text")
                .as(Encoders.STRING())
                .collectAsList();
        assertEquals(
                List.of(
                        "A plain text file.\nIts second line.\n",
                        "first tsv text",
                        "gzipped json",
                        "json one",
                        "json two",
                        "second tsv text"),
                texts);
        assertEquals(
                "by-extension",
                lake.latestLineage(lake.locate("raw/m")).config().get("format"));

        // parquet goes through another reader: refused beside line formats, in one line
        TestLake.spark()
                .createDataFrame(List.of(RowFactory.create("p")), new StructType().add("text", DataTypes.StringType))
                .coalesce(1)
                .write()
                .parquet(tmp.resolve("pq-out").toString());
        try (var files = Files.list(tmp.resolve("pq-out"))) {
            Files.move(
                    files.filter(p -> p.toString().endsWith(".parquet"))
                            .findFirst()
                            .orElseThrow(),
                    in.resolve("e.parquet"));
        }
        UserError e = assertThrows(
                UserError.class,
                () -> IngestStep.ingest(
                        lake,
                        IngestCli.options("m2", in.toString(), null, "text", null, List.of("title", "text"), false),
                        false,
                        7L));
        assertTrue(
                e.getMessage()
                        .contains(
                                "mixes parquet with line formats (jsonl: 2 file(s), parquet: 1 file(s), text: 1 file(s), "
                                        + "tsv: 1 file(s))"),
                e.getMessage());
    }

    @Test
    void idsAreStableAcrossInputLocations() throws Exception {
        byte[] data = "{\"text\":\"same\"}\n".getBytes(StandardCharsets.UTF_8);
        TestLake.writeBytes(tmp.resolve("x/data.jsonl"), data);
        TestLake.writeBytes(tmp.resolve("y/z/data.jsonl"), data);
        Lake a = TestLake.lake(tmp.resolve("lake-a"));
        Lake b = TestLake.lake(tmp.resolve("lake-b"));
        ingest(a, "s", tmp.resolve("x").toString(), null, null, false);
        ingest(b, "s", tmp.resolve("y/z/data.jsonl").toString(), null, null, false);
        assertArrayEquals(
                new Object[] {a.read(a.locate("raw/s"), 0).first().getAs("id")},
                new Object[] {b.read(b.locate("raw/s"), 0).first().getAs("id")});
    }

    @Test
    void missingEmptyAndUnmatchedInputs() throws Exception {
        Lake lake = TestLake.lake(tmp.resolve("lake"));
        UserError missing = assertThrows(
                UserError.class,
                () -> ingest(lake, "s", tmp.resolve("nope.jsonl").toString(), null, null, false));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        UserError glob = assertThrows(
                UserError.class,
                () -> ingest(lake, "s", tmp.resolve("*.nothing").toString(), null, null, false));
        assertTrue(glob.getMessage().contains("matches no files"), glob.getMessage());
        TestLake.write(tmp.resolve("empty.jsonl"), "\n\n");
        JobFailure empty = assertThrows(
                JobFailure.class,
                () -> ingest(lake, "s", tmp.resolve("empty.jsonl").toString(), null, null, false));
        assertTrue(empty.getMessage().contains("no records"), empty.getMessage());
        assertFalse(lake.exists(lake.locate("raw/s")));
    }
}
