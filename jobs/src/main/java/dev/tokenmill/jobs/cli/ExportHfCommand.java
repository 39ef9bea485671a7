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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Writes a checkpoint as a Hugging Face model folder ({@link HfExport}); no Spark. */
@Command(
        name = "export-hf",
        mixinStandardHelpOptions = true,
        description = "Write a checkpoint as a Hugging Face folder (LlamaForCausalLM + tokenizer); no Spark.")
public final class ExportHfCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "RUN|CHECKPOINT",
            description = "A run folder (its latest checkpoint, or --step) "
                    + "or a checkpoint folder; a lake-relative name (runs/x) resolves under --lake.")
    String model;

    @Option(names = "--step", description = "The checkpoint of this step (with a run folder).")
    Long step;

    @Option(
            names = "--output",
            required = true,
            description = "The folder to write (created; existing files replaced).")
    Path output;

    @Option(
            names = "--tokenizer",
            description = "tokenizer.json or its folder (default: beside the checkpoint, or in the run folder).")
    Path tokenizer;

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

    @Override
    public void run() {
        Path where = RunFolders.locate(model, ((Main) spec.root().userObject()).lakeRoot(), "export-hf");
        try {
            Path checkpoint = CheckpointModel.resolve(where, step);
            Path json = CheckpointModel.tokenizerFile(checkpoint, tokenizer);
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
