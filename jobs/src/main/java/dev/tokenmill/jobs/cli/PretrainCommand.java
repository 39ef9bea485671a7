package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.train.Pretrain;
import dev.tokenmill.jobs.train.PretrainReport;
import dev.tokenmill.jobs.train.PretrainStep;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Pretrains a Llama-style decoder on a tokenize table: DP ranks as one Spark barrier stage. */
@Command(
        name = "pretrain",
        mixinStandardHelpOptions = true,
        description =
                "Pretrain a Llama-style decoder (DJL/PyTorch) on a tokenize table; data-parallel ranks run as one Spark "
                        + "barrier stage. Writes checkpoints (safetensors shards, HF config.json), metrics.jsonl and loss.png.")
public final class PretrainCommand extends LakeCommand {
    @Parameters(index = "0", paramLabel = "TABLE[@VERSION]", description = "A table written by the tokenize step.")
    String table;

    @Option(
            names = "--output",
            required = true,
            description = "Run folder, lake-relative (runs/tiny) or an absolute local path.")
    String output;

    @Option(names = "--dp", description = "Data-parallel ranks (Spark tasks; default 1).")
    Integer dp;

    @Option(names = "--pp", description = "Pipeline stages (default 1).")
    Integer pp;

    @Option(names = "--steps", description = "Optimizer steps (default 200).")
    Integer steps;

    @Option(
            names = "--param",
            paramLabel = "KEY=VALUE",
            description = "Any pretrain setting, as in a recipe: layers, d_model, "
                    + "heads, kv_heads, ffn, seq_len, tied_embeddings, micro_batch, grad_accum, lr, min_lr, warmup_steps, weight_decay, "
                    + "grad_clip, eval_every, eval_samples, checkpoint_every, keep_checkpoints, log_every, recompute, threads_per_task, "
                    + "peak_tflops (repeatable).")
    List<String> params = List.of();

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Initialisation and data-order seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--resume",
            description =
                    "Continue from the latest complete checkpoint, and fail if there is none (a run with the same "
                            + "identity resumes without it too).")
    boolean resume;

    @Option(
            names = "--force",
            description = "Start over even if a finished, resumable or different run is there; the old "
                    + "checkpoints, metrics and loss curve are moved to OUTPUT/replaced/<time>/.")
    boolean force;

    @Option(names = "--delete", description = "With --force: delete the old run instead of moving it aside.")
    boolean delete;

    @Override
    public void run() {
        if (delete && !force) {
            throw new UserError("pretrain: --delete only goes with --force (it deletes the run --force replaces)");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (String kv : params) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new UserError("--param expects KEY=VALUE, got '" + kv + "'");
            }
            values.put(
                    kv.substring(0, eq).strip(), yamlScalar(kv.substring(eq + 1).strip()));
        }
        if (dp != null) {
            values.put("dp", dp);
        }
        if (pp != null) {
            values.put("pp", pp);
        }
        if (steps != null) {
            values.put("steps", steps);
        }
        PretrainStep step;
        try {
            step = PretrainStep.parse(values, seed);
        } catch (IllegalArgumentException e) {
            throw new UserError("pretrain: " + e.getMessage());
        }
        Resolved r = resolve(table);
        long t0 = System.nanoTime();
        Pretrain.Outcome outcome =
                Pretrain.run(lake(), r.table(), r.version(), step, output, seed, force, delete, resume, line -> {
                    out().println(line);
                    out().flush();
                });
        out().println("pretrain " + r.label() + " → " + output + ": "
                + PretrainReport.line(outcome, (System.nanoTime() - t0) / 1e9));
        out().flush();
    }

    /** Numbers and booleans as a YAML recipe would give them. */
    private static Object yamlScalar(String v) {
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        try {
            return v.contains(".") || v.contains("e") || v.contains("E")
                    ? (Object) Double.parseDouble(v)
                    : (Object) Long.parseLong(v);
        } catch (NumberFormatException e) {
            return v;
        }
    }
}
