package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.Main;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.train.infer.CheckpointModel;
import dev.tokenmill.train.infer.HfExport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes a checkpoint as a Hugging Face model folder ({@link HfExport}); no Spark. */
@Command(
        name = "export-hf",
        mixinStandardHelpOptions = true,
        description = "Write a checkpoint as a Hugging Face folder (LlamaForCausalLM + tokenizer); no Spark.")
public final class ExportHfCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    CheckpointOptions target;

    @Option(
            names = "--output",
            required = true,
            description = "The folder to write (created; must be empty unless --overwrite).")
    Path output;

    @Option(
            names = "--eos",
            defaultValue = "<|endoftext|>",
            description = "End-of-text token, also bos (default ${DEFAULT-VALUE}).")
    String eos;

    @Option(
            names = "--max-shard-mb",
            defaultValue = "5000",
            description = "Split model.safetensors into shards of at most "
                    + "this many MB, with an index (default ${DEFAULT-VALUE}, as transformers' save_pretrained).")
    long maxShardMb;

    @Option(names = "--overwrite", description = "Replace the export files in a non-empty --output folder.")
    boolean overwrite;

    @Override
    public void run() {
        try (var entries = Files.exists(output) ? Files.list(output) : java.util.stream.Stream.<Path>empty()) {
            if (!overwrite && entries.findAny().isPresent()) {
                throw new UserError("export-hf: " + output + " is not empty: give another --output, or --overwrite to "
                        + "replace the export files in it");
            }
        } catch (IOException e) {
            throw new UserError("export-hf: cannot read --output " + output + ": " + e.getMessage());
        }
        try {
            Path checkpoint = target.checkpoint(((Main) spec.root().userObject()).lakeRoot(), "export-hf");
            Path json = CheckpointModel.tokenizerFile(checkpoint, target.tokenizer);
            HfExport.Result r =
                    HfExport.write(checkpoint, Files.readString(json), eos, output, maxShardMb * 1_000_000L);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(
                    "exported %s → %s: %d tensors, %,.1f MB in %s%n",
                    checkpoint.getFileName(), output, r.tensors(), r.bytes() / 1e6, String.join(", ", r.files()));
            out.flush();
        } catch (IllegalArgumentException e) {
            throw new UserError("export-hf: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
