package dev.tokenmill.jobs.tokenizer;

import static org.apache.spark.sql.functions.col;

import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.tokenizer.pack.MegatronWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;

/** Writes a packed (tokenize) table as Megatron-LM's PREFIX.bin + PREFIX.idx, samples in sample_id order. */
public final class MegatronExport {
    /** Samples and tokens written, and the token width (2 = uint16, 4 = int32). */
    public record Result(long samples, long tokens, int bytesPerToken) {}

    private MegatronExport() {}

    /** The tokenize lineage of a table version, or an {@link IllegalArgumentException} saying it is not one. */
    public static Lineage tokenizeLineage(Lake lake, TableLocation table, long version) {
        Lineage lineage = lake.lineageAt(table, version);
        if (lineage == null || !"tokenize".equals(lineage.stage())) {
            throw new IllegalArgumentException(table.name() + "@" + version + " was not written by the tokenize step");
        }
        return lineage;
    }

    public static Result write(Lake lake, TableLocation table, long version, Path output) throws IOException {
        Lineage lineage = tokenizeLineage(lake, table, version);
        int vocab = ((Number) lineage.config().get("vocab_size")).intValue();
        int seqLen = ((Number) lineage.config().get("seq_len")).intValue();
        if (output.toAbsolutePath().getParent() != null) {
            Files.createDirectories(output.toAbsolutePath().getParent());
        }
        long samples = 0;
        long tokens = 0;
        try (MegatronWriter w = new MegatronWriter(output, vocab, seqLen + 1)) {
            Iterator<Row> rows = lake.read(table, version)
                    .orderBy(col("sample_id"))
                    .select("tokens")
                    .toLocalIterator();
            while (rows.hasNext()) {
                List<Integer> t = rows.next().getList(0);
                int[] ids = new int[t.size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = t.get(i);
                }
                w.add(ids);
                samples++;
                tokens += ids.length;
            }
            return new Result(samples, tokens, w.bytesPerToken());
        }
    }
}
