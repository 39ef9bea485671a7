package dev.tokenmill.jobs.cli;

import static org.apache.spark.sql.functions.col;

import dev.tokenmill.jobs.JobFailure;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.tokenizer.pack.MegatronWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Writes a packed (tokenize) table as Megatron-LM's PREFIX.bin + PREFIX.idx, samples in sample_id order. */
@Command(name = "export-megatron", mixinStandardHelpOptions = true,
    description = "Export a tokenize table as Megatron .bin/.idx (uint16 when the vocabulary fits, else int32).")
public final class ExportMegatronCommand extends LakeCommand {
    @Parameters(index = "0", paramLabel = "TABLE[@VERSION]", description = "A table written by the tokenize step.")
    String table;

    @Option(names = "--output", required = true, description = "Local path prefix: writes PREFIX.bin and PREFIX.idx.")
    Path output;

    @Override
    public void run() {
        Resolved r = resolve(table);
        Lineage lineage = lake().lineageAt(r.table(), r.version());
        if (lineage == null || !"tokenize".equals(lineage.stage())) {
            throw new UserError(r.label() + " was not written by the tokenize step");
        }
        int vocab = ((Number) lineage.config().get("vocab_size")).intValue();
        int seqLen = ((Number) lineage.config().get("seq_len")).intValue();
        long samples = 0;
        long tokens = 0;
        try {
            if (output.toAbsolutePath().getParent() != null) {
                Files.createDirectories(output.toAbsolutePath().getParent());
            }
            try (MegatronWriter w = new MegatronWriter(output, vocab, seqLen + 1)) {
                Iterator<Row> rows = lake().read(r.table(), r.version()).orderBy(col("sample_id"))
                    .select("tokens").toLocalIterator();
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
                out().printf("%s → %s.bin/.idx: %,d samples, %,d tokens, %s%n", r.label(), output, samples, tokens,
                    w.bytesPerToken() == 2 ? "uint16" : "int32");
            }
        } catch (IOException e) {
            throw new JobFailure("cannot write " + output + ": " + e.getMessage(), e);
        }
        out().flush();
    }
}
