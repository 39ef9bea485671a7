package dev.tokenmill.jobs.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.step.StepRun;
import dev.tokenmill.jobs.tokenizer.MegatronExport;
import dev.tokenmill.jobs.train.Pretrain;
import dev.tokenmill.jobs.train.PretrainStep;
import dev.tokenmill.jobs.util.Json;
import dev.tokenmill.jobs.util.TextTable;
import dev.tokenmill.train.model.ModelConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A sweep's driver side: each distinct input table is exported once (Megatron .bin/.idx beside the output, shared by
 * every run that reads it), every configuration × seed becomes a {@link SweepRun} whose id is the hash of what it
 * trains on and with, runs with a result file are skipped (a killed sweep resumes), the rest go out as one Spark task
 * each, and every run's result becomes a row of the output table.
 */
final class Sweep {
    record Settings(
            List<SweepKind.Entry> entries,
            int seeds,
            List<String> eval,
            int evalWindows,
            double maxEpochs,
            int threads,
            long seed) {}

    static final StructType SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType, false)
            .add("name", DataTypes.StringType, false)
            .add("seed", DataTypes.LongType, false)
            .add("data", DataTypes.StringType, false)
            .add("weights", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), false)
            .add("parameters", DataTypes.LongType, false)
            .add("non_embedding_parameters", DataTypes.LongType, false)
            .add("tokens", DataTypes.LongType, false)
            .add("flops", DataTypes.DoubleType, false)
            .add("final_loss", DataTypes.DoubleType, true)
            .add("held_out_loss", DataTypes.DoubleType, true)
            .add("eval", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), false)
            .add("eval_bits_per_byte", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), false)
            .add("wall_s", DataTypes.DoubleType, false)
            .add("config", DataTypes.StringType, false);

    private Sweep() {}

    /** Mean and sample variance of one configuration's seeds. */
    private record Stats(int n, double mean, double variance) {
        static Stats of(List<Double> v) {
            double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double ss = v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
            return new Stats(v.size(), mean, v.size() > 1 ? ss / (v.size() - 1) : Double.NaN);
        }

        double std() {
            return Math.sqrt(variance);
        }
    }

    /** The runs of a sweep (finished now or earlier: each has its result file) and how many trained now. */
    record Trained(List<SweepRun> runs, int trainedNow, Map<String, Lineage> tokenized) {}

    /** Where a sweep keeps its exports, run folders and result files: beside its output table. */
    static Path work(TableLocation output) {
        Path table = Pretrain.localFolder(output.path());
        return table.resolveSibling(table.getFileName() + ".work");
    }

    /**
     * Exports every input table once, plans every configuration × seed, and trains the runs without a result file as
     * one Spark task each, reporting runs done / total and an ETA as tasks finish.
     */
    static Trained train(StepRun run, Path work, Settings s, String label) {
        Lake lake = run.lake();
        Map<String, String> prefixes = new LinkedHashMap<>();
        Map<String, Lineage> tokenized = new LinkedHashMap<>();
        List<String> all = new ArrayList<>();
        s.entries().forEach(e -> all.addAll(e.tables()));
        all.addAll(s.eval());
        for (String name : all) {
            if (prefixes.containsKey(name)) {
                continue;
            }
            TableLocation t = lake.locate(name);
            long version = run.version(t);
            try {
                tokenized.put(name, MegatronExport.tokenizeLineage(lake, t, version));
                Path prefix = work.resolve("data").resolve(name.replace('/', '_') + "@" + version);
                if (!Files.exists(Path.of(prefix + ".idx"))) {
                    Files.createDirectories(prefix.getParent());
                    MegatronExport.write(lake, t, version, prefix);
                }
                prefixes.put(name, prefix.toString());
            } catch (IllegalArgumentException e) {
                throw new UserError("sweep: " + e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot export " + name + ": " + e.getMessage(), e);
            }
        }
        List<SweepRun> runs = new ArrayList<>();
        Map<String, Long> bytes = new java.util.HashMap<>();
        for (SweepKind.Entry e : s.entries()) {
            for (int k = 0; k < s.seeds(); k++) {
                runs.add(plan(run, e, s, s.seed() + k, tokenized, prefixes, work, bytes));
            }
        }
        List<SweepRun> pending = runs.stream()
                .filter(r -> !Files.exists(Path.of(r.resultFile())))
                .toList();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(lake.spark().sparkContext());
        run.say(String.format(
                "%s: %d runs, %d finished earlier, %d to run on %d task slots",
                label, runs.size(), runs.size() - pending.size(), pending.size(), sc.defaultParallelism()));
        if (!pending.isEmpty()) {
            String group = "tokenmill-sweep-" + java.util.UUID.randomUUID();
            SweepProgress progress = new SweepProgress(group, runs.size() - pending.size(), runs.size(), run::say);
            sc.sc().addSparkListener(progress);
            sc.setJobGroup(group, label, false);
            try {
                sc.parallelize(pending, pending.size()).map(SweepTask::run).collect();
            } catch (Exception e) {
                String m = String.valueOf(e.getMessage());
                int at = m.indexOf("sweep run ");
                throw new UserError("sweep: "
                        + (at >= 0
                                ? m.substring(at).lines().findFirst().orElse(m)
                                : m.lines().findFirst().orElse(m)));
            } finally {
                sc.clearJobGroup();
                sc.sc().removeSparkListener(progress);
            }
        }
        return new Trained(runs, pending.size(), tokenized);
    }

    /** A finished run's result file. */
    static JsonNode result(SweepRun r) {
        try {
            return Json.read(Files.readString(Path.of(r.resultFile())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + r.resultFile(), e);
        }
    }

    /** The loss a sweep compares runs on: the named eval table's, or the run's own held-out loss without one. */
    static double metric(JsonNode n, String evalTable) {
        if (evalTable != null) {
            return n.get("eval").get(evalTable).asDouble();
        }
        return n.get("held_out_loss").isNull()
                ? Double.NaN
                : n.get("held_out_loss").asDouble();
    }

    /** A JSON object of numbers as a sorted map (empty for a missing node). */
    private static Map<String, Double> doubles(JsonNode object) {
        Map<String, Double> out = new TreeMap<>();
        object.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asDouble()));
        return out;
    }

    /** A run's row of {@link #SCHEMA}. */
    static Object[] row(SweepRun r, JsonNode n) {
        Map<String, Double> eval = doubles(n.get("eval"));
        Map<String, Double> bpb = doubles(n.path("eval_bits_per_byte")); // absent in results written before it
        return new Object[] {
            r.id(),
            r.name(),
            r.seed(),
            r.data(),
            scala.jdk.javaapi.CollectionConverters.asScala(weights(r)),
            n.get("parameters").asLong(),
            n.get("non_embedding_parameters").asLong(),
            n.get("tokens").asLong(),
            n.get("flops").asDouble(),
            n.get("final_loss").isNull() ? null : n.get("final_loss").asDouble(),
            n.get("held_out_loss").isNull() ? null : n.get("held_out_loss").asDouble(),
            scala.jdk.javaapi.CollectionConverters.asScala(eval),
            scala.jdk.javaapi.CollectionConverters.asScala(bpb),
            n.get("wall_s").asDouble(),
            Json.write(r.config())
        };
    }

    static void run(StepRun run, TableLocation output, Settings s, String label) {
        Lake lake = run.lake();
        Trained trained = train(run, work(output), s, label);
        List<SweepRun> runs = trained.runs();
        String metricTable = s.eval().isEmpty() ? null : s.eval().get(0);
        List<Row> rows = new ArrayList<>();
        Map<String, List<Double>> byName = new LinkedHashMap<>();
        for (SweepRun r : runs) {
            JsonNode n = result(r);
            rows.add(RowFactory.create(row(r, n)));
            byName.computeIfAbsent(r.name(), x -> new ArrayList<>()).add(metric(n, metricTable));
        }
        Map<String, Object> results = new LinkedHashMap<>();
        String metricName =
                s.eval().isEmpty() ? "held-out loss" : "loss on " + s.eval().get(0);
        TextTable summary = new TextTable(
                "configuration",
                "runs",
                metricName + " (mean)",
                "std",
                "Δ vs " + byName.keySet().iterator().next(),
                "2 s.e.",
                "beyond seed noise");
        List<Double> reference = byName.values().iterator().next();
        for (var e : byName.entrySet()) {
            Stats st = Stats.of(e.getValue());
            Stats ref = Stats.of(reference);
            // the difference of two means against twice its standard error (Welch): needs ≥ 2 seeds on both sides
            double diff = st.mean() - ref.mean();
            double se = Math.sqrt(st.variance() / st.n() + ref.variance() / ref.n());
            boolean first = e.getValue() == reference;
            summary.row(
                    e.getKey(),
                    st.n(),
                    String.format("%.4f", st.mean()),
                    Double.isNaN(st.std()) ? "" : String.format("%.4f", st.std()),
                    first ? "" : String.format("%+.4f", diff),
                    first || Double.isNaN(se) ? "" : String.format("%.4f", 2 * se),
                    first || Double.isNaN(se) ? "" : (Math.abs(diff) > 2 * se ? "yes" : "no"));
            results.put(e.getKey(), Map.of("mean", st.mean(), "runs", st.n()));
        }
        run.commitTable(
                output,
                lake.spark().createDataFrame(rows, SCHEMA),
                runs.size(),
                rows.size(),
                Map.of("runs", (long) rows.size(), "trained", (long) trained.trainedNow()),
                Map.of("summary", results));
        run.say(String.format(
                "%s@%d: %d runs (%.1f s)", label, lake.latestVersion(output), rows.size(), run.seconds()));
        StringWriter text = new StringWriter();
        summary.print(new PrintWriter(text));
        text.toString().lines().forEach(l -> run.say("  " + l));
    }

    private static SweepRun plan(
            StepRun run,
            SweepKind.Entry e,
            Settings s,
            long seed,
            Map<String, Lineage> tokenized,
            Map<String, String> prefixes,
            Path work,
            Map<String, Long> bytesCache) {
        PretrainStep step;
        try {
            step = PretrainStep.parse(e.settings(), seed);
        } catch (IllegalArgumentException ex) {
            throw new UserError("sweep: run '" + e.name() + "': " + ex.getMessage());
        }
        String first = e.tables().get(0);
        ModelConfig model = Pretrain.modelConfig(step, tokenized.get(first), first);
        for (String t : e.tables()) {
            sameTokenizer(tokenized, first, t, "run '" + e.name() + "' mixes");
        }
        Map<String, String> evalPrefixes = new LinkedHashMap<>();
        Map<String, Long> evalBytes = new LinkedHashMap<>();
        for (String t : s.eval()) {
            sameTokenizer(tokenized, first, t, "eval table of run '" + e.name() + "'");
            evalPrefixes.put(t, prefixes.get(t));
            Long b = bytesCache.computeIfAbsent(
                    t + "\u0000" + model.seqLen(),
                    k -> targetBytes(run, tokenized.get(t), prefixes.get(t), model.seqLen(), s.evalWindows()));
            if (b >= 0) {
                evalBytes.put(t, b);
            }
        }
        Map<String, String> dataPrefixes = new LinkedHashMap<>();
        List<String> versions = new ArrayList<>();
        for (String t : e.tables()) {
            dataPrefixes.put(t, prefixes.get(t));
            String v = t + "@" + run.version(run.lake().locate(t));
            versions.add(e.mix() == null ? v : v + ":" + e.mix().get(t));
        }
        String data = String.join(",", versions);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", e.name());
        config.put("data", data);
        if (e.mix() != null) {
            config.put("max_epochs", s.maxEpochs());
        }
        config.put("model", model.toHuggingFace());
        config.put("train", step.train().toMap());
        config.put("eval", s.eval());
        config.put("eval_windows", s.evalWindows());
        config.put("eval_spacing", "even"); // results of the earlier first-windows scoring are not reused
        String id = Json.fingerprint(config).substring(0, 16);
        return new SweepRun(
                id,
                e.name(),
                seed,
                data,
                dataPrefixes,
                e.mix() == null ? null : normalised(e.mix()),
                s.maxEpochs(),
                model,
                step.train(),
                evalPrefixes,
                evalBytes,
                s.evalWindows(),
                work.resolve("runs").resolve(id).toString(),
                work.resolve("results").resolve(id + ".json").toString(),
                s.threads(),
                config);
    }

    /**
     * UTF-8 bytes of the text the scored eval windows' targets decode to, special tokens (EOS) left out, as
     * lm-evaluation-harness counts a document's bytes for bits per byte; -1 when the table's tokenizer is gone.
     */
    private static long targetBytes(StepRun run, Lineage tokenized, String prefix, int seqLen, int windows) {
        Object name = tokenized.config().get("tokenizer");
        if (name == null) {
            return -1;
        }
        dev.tokenmill.tokenizer.TextTokenizer tok;
        try {
            tok = dev.tokenmill.jobs.tokenizer.Tokenize.model(
                    dev.tokenmill.jobs.tokenizer.Tokenize.tokenizer(run.lake(), name.toString()));
        } catch (RuntimeException e) {
            return -1; // moved or deleted since the table was tokenized: loss only
        }
        java.util.Set<Integer> special = new java.util.HashSet<>();
        for (String t : tok.specialTokens()) {
            special.add(tok.id(t));
        }
        long bytes = 0;
        for (int[] w : SweepTask.evalWindows(prefix, seqLen, windows)) {
            int[] text = java.util.Arrays.stream(w, 1, w.length)
                    .filter(id -> !special.contains(id))
                    .toArray();
            bytes += tok.decode(text).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        return bytes;
    }

    /** Every table a run reads must come from the tokenizer of its first: same ids, same vocabulary. */
    private static void sameTokenizer(Map<String, Lineage> tokenized, String first, String other, String what) {
        Map<String, Object> a = tokenized.get(first).config();
        Map<String, Object> b = tokenized.get(other).config();
        Object va = a.get("vocab_size");
        Object vb = b.get("vocab_size");
        Object ta = a.get("tokenizer_sha256");
        Object tb = b.get("tokenizer_sha256");
        if (!String.valueOf(va).equals(String.valueOf(vb)) || (ta != null && tb != null && !ta.equals(tb))) {
            throw new UserError("sweep: " + what + " " + other + " (vocabulary " + vb + ") with " + first
                    + " (vocabulary " + va + ") of another tokenizer: use tables of the same tokenizer");
        }
    }

    static Map<String, Double> normalised(Map<String, Double> weights) {
        double sum = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Double> out = new LinkedHashMap<>();
        weights.forEach((k, v) -> out.put(k, v / sum));
        return out;
    }

    /** The run's weights per table, normalised ({table: 1} for a single table). */
    private static Map<String, Double> weights(SweepRun r) {
        return r.mixed()
                ? new TreeMap<>(r.weights())
                : Map.of(r.dataPrefixes().keySet().iterator().next(), 1.0);
    }
}
