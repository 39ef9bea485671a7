package dev.tokenmill.jobs.eval;

import ai.djl.pytorch.jni.JniUtils;
import dev.tokenmill.jobs.infer.ExecutorModels;
import dev.tokenmill.jobs.infer.ModelParams;
import dev.tokenmill.jobs.infer.ModelRef;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.step.StepRun;
import dev.tokenmill.jobs.util.Json;
import dev.tokenmill.jobs.util.TextTable;
import dev.tokenmill.train.Torch;
import dev.tokenmill.train.ckpt.Checkpoints;
import dev.tokenmill.train.infer.HeldOutWindows;
import dev.tokenmill.train.infer.LogLikelihood;
import dev.tokenmill.train.infer.MultipleChoice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** One eval step's work: which checkpoints and tasks, scoring them, and the result rows. */
final class EvalJob {
    private final Lake lake;
    private final EvalSettings s;
    private final ModelRef model;
    private final List<Path> checkpoints;
    private final Map<String, Path> tasks = new LinkedHashMap<>();

    EvalJob(Lake lake, EvalSettings s) {
        this.lake = lake;
        this.s = s;
        this.model = new ModelRef(lake, s.checkpoint(), s.step(), s.allCheckpoints(), s.tokenizer());
        this.checkpoints = model.checkpoints();
        for (String t : s.tasks()) {
            Path p = Path.of(t);
            Path file = Files.exists(p) || p.isAbsolute() ? p : model.local(t);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no task file " + t);
            }
            if (tasks.put(TaskFile.name(file), file) != null) {
                throw new IllegalArgumentException("two tasks named " + TaskFile.name(file));
            }
        }
    }

    List<Map<String, Object>> checkpointStamps() {
        return model.stamps();
    }

    Map<String, Object> taskStamps() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (var t : tasks.entrySet()) {
            try {
                out.put(t.getKey(), Json.fingerprint(Files.readString(t.getValue())));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + t.getValue(), e);
            }
        }
        return out;
    }

    void run(StepRun run, TableLocation input, TableLocation output, String label) {
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = ModelParams.threads(
                s.threadsPerTask(), lake.spark().sparkContext().defaultParallelism());
        Dataset<Row> table = null;
        if (input != null) {
            table = dev.tokenmill.jobs.lake.SqlFilter.apply(run.read(input), s.where(), "where");
            for (String g : s.groupBy()) {
                if (!List.of(table.columns()).contains(g)) {
                    throw new IllegalArgumentException("group_by column '" + g + "' is not in " + input.name());
                }
            }
            if (checkpoints.size() > 1) {
                table = table.persist();
            }
        }
        List<Row> rows = new ArrayList<>();
        Map<String, Object> results = new LinkedHashMap<>();
        TextTable shown = new TextTable(
                "step",
                "dataset",
                "group",
                "documents",
                "tokens",
                "loss",
                "ppl",
                "bits/byte",
                "acc",
                "acc_norm",
                "chance");
        try {
            for (Path checkpoint : checkpoints) {
                long step = ((Number) Checkpoints.state(checkpoint).get("step")).longValue();
                String tokenizerFile = tokenizerFile(checkpoint).toString();
                String ckpt = checkpoint.toString();
                ExecutorModels.Loaded m = ExecutorModels.get(ckpt, tokenizerFile);
                int prefix = m.tokenizer().id(s.eos());
                if (prefix < 0) {
                    throw new IllegalArgumentException(
                            "the tokenizer has no '" + s.eos() + "' token (eos) to start documents with");
                }
                if (table != null) {
                    String dataset =
                            input.name() + "@" + run.version(input) + (s.where() == null ? "" : " where " + s.where());
                    for (DocumentScores.Group g : DocumentScores.perGroup(
                            table,
                            s.textColumn(),
                            s.groupBy(),
                            ckpt,
                            tokenizerFile,
                            s.eos(),
                            s.batchTokens(),
                            threads)) {
                        double loss = g.tokens() == 0 ? Double.NaN : g.nll() / g.tokens();
                        double bpb = g.bytes() == 0 ? Double.NaN : g.nll() / g.bytes() / Math.log(2);
                        rows.add(row(
                                s.checkpoint(),
                                step,
                                dataset,
                                "text",
                                g.key(),
                                g.documents(),
                                g.tokens(),
                                g.bytes(),
                                loss,
                                bpb,
                                null));
                        shown.row(
                                step,
                                dataset,
                                String.join(",", g.key()),
                                g.documents(),
                                g.tokens(),
                                f(loss),
                                f(Math.exp(loss)),
                                f(bpb),
                                "",
                                "",
                                "");
                    }
                }
                Torch.setThreads(cores);
                JniUtils.setGradMode(false);
                LogLikelihood scorer = new LogLikelihood(m.model(), s.batchTokens());
                List<String> none = java.util.Collections.nCopies(s.groupBy().size(), null);
                HeldOutWindows.Windows w = s.heldOut() ? HeldOutWindows.of(checkpoint) : null;
                if (w != null && !w.requests().isEmpty()) {
                    double nll = 0;
                    long tokens = 0;
                    for (LogLikelihood.Score sc : scorer.score(w.requests())) {
                        nll -= sc.logLikelihood();
                        tokens += sc.tokens();
                    }
                    double loss = tokens == 0 ? Double.NaN : nll / tokens;
                    String dataset = "held-out:" + w.data();
                    rows.add(row(
                            s.checkpoint(),
                            step,
                            dataset,
                            "held_out",
                            none,
                            w.requests().size(),
                            tokens,
                            null,
                            loss,
                            null,
                            null));
                    shown.row(
                            step, dataset, "", w.requests().size(), tokens, f(loss), f(Math.exp(loss)), "", "", "", "");
                    results.put("held_out_loss@" + step, loss);
                }
                for (var t : tasks.entrySet()) {
                    MultipleChoice.Result r =
                            MultipleChoice.evaluate(TaskFile.read(t.getValue()), m.tokenizer(), scorer, prefix);
                    String dataset = "task:" + t.getKey();
                    rows.add(row(
                            s.checkpoint(), step, dataset, "task", none, r.items(), null, null, Double.NaN, null, r));
                    shown.row(
                            step,
                            dataset,
                            "",
                            r.items(),
                            "",
                            "",
                            "",
                            "",
                            f(r.acc()) + " ± " + f(r.accStderr()),
                            f(r.accNorm()) + " ± " + f(r.accNormStderr()),
                            f(r.chance()));
                    results.put(
                            t.getKey() + "@" + step,
                            Map.of("acc", r.acc(), "acc_norm", r.accNorm(), "chance", r.chance(), "items", r.items()));
                }
            }
        } finally {
            if (table != null && checkpoints.size() > 1) {
                table.unpersist();
            }
            ExecutorModels.release();
        }
        Dataset<Row> out = lake.spark().createDataFrame(rows, schema());
        run.commitTable(output, out, rows.size(), rows.size(), Map.of("rows", (long) rows.size()), results);
        run.say(label + "@" + lake.latestVersion(output) + String.format(" (%.1f s)", run.seconds()));
        java.io.StringWriter text = new java.io.StringWriter();
        shown.print(new java.io.PrintWriter(text));
        for (String line : text.toString().split("\n")) {
            run.say("  " + line);
        }
    }

    private Path tokenizerFile(Path checkpoint) {
        return model.tokenizerFile(checkpoint);
    }

    private StructType schema() {
        List<StructField> f = new ArrayList<>();
        f.add(DataTypes.createStructField("checkpoint", DataTypes.StringType, false));
        f.add(DataTypes.createStructField("step", DataTypes.LongType, false));
        f.add(DataTypes.createStructField("dataset", DataTypes.StringType, false));
        f.add(DataTypes.createStructField("kind", DataTypes.StringType, false));
        for (String g : s.groupBy()) {
            f.add(DataTypes.createStructField(g, DataTypes.StringType, true));
        }
        f.add(DataTypes.createStructField("documents", DataTypes.LongType, false));
        f.add(DataTypes.createStructField("tokens", DataTypes.LongType, true));
        f.add(DataTypes.createStructField("bytes", DataTypes.LongType, true));
        for (String d : List.of(
                "loss", "perplexity", "bits_per_byte", "acc", "acc_stderr", "acc_norm", "acc_norm_stderr", "chance")) {
            f.add(DataTypes.createStructField(d, DataTypes.DoubleType, true));
        }
        return DataTypes.createStructType(f);
    }

    private static Row row(
            String checkpoint,
            long step,
            String dataset,
            String kind,
            List<String> key,
            long documents,
            Long tokens,
            Long bytes,
            double loss,
            Double bitsPerByte,
            MultipleChoice.Result task) {
        List<Object> v = new ArrayList<>(List.of(checkpoint, step, dataset, kind));
        v.addAll(key);
        v.add(documents);
        v.add(tokens);
        v.add(bytes);
        v.add(Double.isNaN(loss) ? null : loss);
        v.add(Double.isNaN(loss) ? null : Math.exp(loss));
        v.add(bitsPerByte == null || bitsPerByte.isNaN() ? null : bitsPerByte);
        v.add(task == null ? null : task.acc());
        v.add(task == null ? null : nullIfNaN(task.accStderr()));
        v.add(task == null ? null : task.accNorm());
        v.add(task == null ? null : nullIfNaN(task.accNormStderr()));
        v.add(task == null ? null : task.chance());
        return RowFactory.create(v.toArray());
    }

    private static Double nullIfNaN(double x) {
        return Double.isNaN(x) ? null : x;
    }

    private static String f(double x) {
        return Double.isNaN(x) ? "" : String.format("%.4f", x);
    }
}
