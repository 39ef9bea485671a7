package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.JobFailure;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.tokenizer.MegatronExport;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Writes a packed (tokenize) table as Megatron-LM's PREFIX.bin + PREFIX.idx, samples in sample_id order. */
@Command(
        name = "export-megatron",
        mixinStandardHelpOptions = true,
        description = "Export a tokenize table as Megatron .bin/.idx (uint16 when the vocabulary fits, else int32).")
public final class ExportMegatronCommand extends LakeCommand {
    @Parameters(index = "0", paramLabel = "TABLE[@VERSION]", description = "A table written by the tokenize step.")
    String table;

    @Option(names = "--output", required = true, description = "Local path prefix: writes PREFIX.bin and PREFIX.idx.")
    Path output;

    @Override
    public void run() {
        Resolved r = resolve(table);
        try {
            MegatronExport.Result res = MegatronExport.write(lake(), r.table(), r.version(), output);
            out().printf(
                            "%s → %s.bin/.idx: %,d samples, %,d tokens, %s%n",
                            r.label(),
                            output,
                            res.samples(),
                            res.tokens(),
                            res.bytesPerToken() == 2 ? "uint16" : "int32");
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        } catch (IOException e) {
            throw new JobFailure("cannot write " + output + ": " + e.getMessage(), e);
        }
        out().flush();
    }
}
