package dev.tokenmill.jobs.recipe;

import dev.tokenmill.core.Params;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageContext;
import dev.tokenmill.core.StageFactory;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.ingest.IngestJob;
import dev.tokenmill.jobs.ingest.IngestOptions;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.LakeSideTables;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.jobs.lake.Sessions;
import dev.tokenmill.jobs.lake.StageCommitter;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.quality.LmTraining;
import dev.tokenmill.jobs.util.CodeVersion;
import dev.tokenmill.jobs.util.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Runs a recipe's stages in order. Each stage's fingerprint (stage, config, input table versions, code version,
 * seed) is compared with the one on its output table's latest commit: equal means "up to date" and the stage is
 * skipped. Because the output commit is the last write of a stage, a run killed at any point and started again
 * redoes only the unfinished stage, and nothing is lost or written twice.
 */
public final class RecipeRunner {
    private final Lake lake;
    private final PrintWriter out;

    public RecipeRunner(Lake lake, PrintWriter out) {
        this.lake = lake;
        this.out = out;
    }

    /** A validated step: what it does and the tables it reads and writes (null where the kind has none). */
    private record Planned(Recipe.Step step, Work work, TableLocation input, TableLocation output, TableLocation rejected) {
    }

    /** What a planned step does: one of the built-in kinds, or a library stage ({@link Transform}). */
    private sealed interface Work permits Ingest, Transform, LmStep, TrainTokenizerStep, TokenizeStep, MixWork, PretrainWork {
    }

    /** An {@code ingest} step. */
    private record Ingest(IngestOptions options) implements Work {
    }

    /** A library stage (normalize, filter, dedup-fuzzy, ...): input table → output and rejected tables. */
    private record Transform(Stage stage) implements Work {
    }

    /** A {@code mix} step. */
    private record MixWork(dev.tokenmill.jobs.mixing.MixStep step) implements Work {
    }

    /** A {@code pretrain} step. */
    private record PretrainWork(dev.tokenmill.jobs.train.PretrainStep step) implements Work {
    }

    /** A {@code train-tokenizer} step: byte-level BPE or Unigram on a table, written to a folder. */
    private record TrainTokenizerStep(String where, dev.tokenmill.jobs.tokenizer.TokenizerTraining.Settings settings)
        implements Work {
    }

    /** A {@code tokenize} step: encode + pack a table into training samples with a trained tokenizer. */
    private record TokenizeStep(String tokenizer, int seqLen, String eos) implements Work {
    }

    /** A {@code train-lm} step: trains the n-gram model a later {@code score} stage reads. */
    private record LmStep(String where, int order) implements Work {
    }

    public void run(Recipe recipe, boolean force) {
        List<Planned> plan = plan(recipe);
        int n = plan.size();
        out.printf("recipe %s: %d stage(s), seed %d, lake %s%n", recipe.name(), n, recipe.seedOrDefault(), lake.root());
        for (int i = 0; i < n; i++) {
            Planned p = plan.get(i);
            String prefix = "[" + (i + 1) + "/" + n + "] ";
            Work work = p.work();
            if (work instanceof Ingest ingest) {
                runIngest(prefix, ingest.options(), recipe, force);
            } else if (work instanceof LmStep lm) {
                runTrainLm(prefix, p, lm, recipe, force);
            } else if (work instanceof TrainTokenizerStep training) {
                runTrainTokenizer(prefix, p, training, force);
            } else if (work instanceof TokenizeStep tokenize) {
                runTokenize(prefix, p, tokenize, recipe, force);
            } else if (work instanceof MixWork mix) {
                runMix(prefix, p, mix.step(), recipe, force);
            } else if (work instanceof PretrainWork pretrain) {
                runPretrain(prefix, p, pretrain.step(), recipe, force);
            } else if (work instanceof Transform transform) {
                runStage(prefix, p, transform.stage(), recipe, force);
            }
        }
    }

    private void runIngest(String prefix, IngestOptions options, Recipe recipe, boolean force) {
        out.println(prefix + "ingest " + options.source() + " from " + options.input() + " ...");
        long t0 = System.nanoTime();
        IngestJob.Result r = new IngestJob(lake).run(options, force, recipe.seedOrDefault(), recipe.name());
        out.println(prefix + IngestReport.line(options.source(), r, seconds(t0)));
    }

    private void runTrainLm(String prefix, Planned p, LmStep lm, Recipe recipe, boolean force) {
        lake.requireExists(p.input());
        long version = lake.latestVersion(p.input());
        String textColumn = orDefault(p.step().textColumn(), "text");
        Map<String, Object> fp = new LinkedHashMap<>();
        fp.put("stage", Stages.TRAIN_LM);
        fp.put("input", List.of(p.input().name(), version));
        fp.put("where", lm.where());
        fp.put("order", lm.order());
        fp.put("text_column", textColumn);
        fp.put("code_version", CodeVersion.get());
        String fingerprint = Json.fingerprint(fp);
        String arrow = Stages.TRAIN_LM + " " + p.input().name() + "@" + version + " → " + p.step().output();
        if (!force && fingerprint.equals(LmTraining.recordedFingerprint(lake, p.step().output()))) {
            out.println(prefix + arrow + ": up to date");
            return;
        }
        out.println(prefix + arrow + " ...");
        LmTraining.Result r = LmTraining.train(lake, p.input(), version, lm.where(), textColumn, lm.order(),
            p.step().output(), fingerprint);
        out.println(prefix + arrow + ": " + lm.order() + "-gram model, " + r.summary(lm.order()));
    }

    private void runTrainTokenizer(String prefix, Planned p, TrainTokenizerStep t, boolean force) {
        lake.requireExists(p.input());
        long version = lake.latestVersion(p.input());
        String textColumn = orDefault(p.step().textColumn(), "text");
        Map<String, Object> fp = new LinkedHashMap<>();
        fp.put("stage", Stages.TRAIN_TOKENIZER);
        fp.put("input", List.of(p.input().name(), version));
        fp.put("where", t.where());
        fp.putAll(t.settings().describe());
        fp.put("text_column", textColumn);
        fp.put("code_version", CodeVersion.get());
        String fingerprint = Json.fingerprint(fp);
        String arrow = Stages.TRAIN_TOKENIZER + " " + p.input().name() + "@" + version + " → " + p.step().output();
        if (!force && fingerprint.equals(dev.tokenmill.jobs.tokenizer.TokenizerTraining.recordedFingerprint(lake,
                p.step().output()))) {
            out.println(prefix + arrow + ": up to date");
            return;
        }
        out.println(prefix + arrow + " ...");
        var r = dev.tokenmill.jobs.tokenizer.TokenizerTraining.train(lake, p.input(), version, t.where(), textColumn,
            t.settings(), p.step().output(), fingerprint);
        out.printf("%s%s: " + (t.settings().type().equals("bpe") ? "byte-level BPE" : "Unigram") + ", %,d words (%,d distinct), vocabulary %,d, sha256 %s (%.1f s)%n", prefix, arrow,
            r.words(), r.distinctWords(), r.vocabSize(), r.sha256().substring(0, 12), r.seconds());
    }

    private void runTokenize(String prefix, Planned p, TokenizeStep tokenize, Recipe recipe, boolean force) {
        lake.requireExists(p.input());
        long version = lake.latestVersion(p.input());
        String idColumn = orDefault(p.step().idColumn(), "id");
        String textColumn = orDefault(p.step().textColumn(), "text");
        dev.tokenmill.jobs.tokenizer.Tokenize.Tokenizer tokenizer =
            dev.tokenmill.jobs.tokenizer.Tokenize.tokenizer(lake, tokenize.tokenizer());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("tokenizer", tokenize.tokenizer());   // as named (lake-relative): a copied lake stays up to date
        config.put("tokenizer_sha256", tokenizer.sha256());
        config.put("seq_len", tokenize.seqLen());
        config.put("eos", tokenize.eos());
        Map<String, Object> fp = new LinkedHashMap<>();
        fp.put("stage", Stages.TOKENIZE);
        fp.put("config", config);
        fp.put("inputs", List.of(List.of(p.input().name(), version)));
        fp.put("columns", List.of(idColumn, textColumn));
        fp.put("code_version", CodeVersion.get());
        String fingerprint = Json.fingerprint(fp);
        String arrow = Stages.TOKENIZE + " " + p.input().name() + "@" + version + " → " + p.output().name();
        if (upToDate(prefix, arrow, p.output(), fingerprint, force)) {
            return;
        }
        out.println(prefix + arrow + " ...");
        long t0 = System.nanoTime();
        Lineage l = dev.tokenmill.jobs.tokenizer.Tokenize.run(lake, p.input(), version, tokenizer, tokenize.seqLen(),
            tokenize.eos(), idColumn, textColumn, p.output(), fingerprint, config, recipe.seedOrDefault(), recipe.name());
        out.printf("%s%s@%d: %,d documents → %,d tokens in %,d samples of %d (+1) tokens (%,d full), tokenizer %s (%.1f s)%n",
            prefix, arrow, lake.latestVersion(p.output()), l.counters().get("documents"), l.counters().get("tokens"),
            l.counters().get("samples"), tokenize.seqLen(), l.counters().get("full_samples"),
            tokenizer.sha256().substring(0, 12), seconds(t0));
    }

    /** A table-writing built-in step whose latest version has this fingerprint is skipped (and says so). */
    private boolean upToDate(String prefix, String arrow, TableLocation output, String fingerprint, boolean force) {
        if (force || !lake.exists(output)) {
            return false;
        }
        Lineage latest = lake.latestLineage(output);
        if (latest == null || !fingerprint.equals(latest.fingerprint())) {
            return false;
        }
        out.println(prefix + arrow + "@" + lake.latestVersion(output) + ": up to date");
        return true;
    }

    private void runMix(String prefix, Planned p, dev.tokenmill.jobs.mixing.MixStep step, Recipe recipe, boolean force) {
        List<dev.tokenmill.jobs.mixing.Mix.Resolved> sources = new ArrayList<>();
        List<Object> versions = new ArrayList<>();
        for (var s : step.sources()) {
            TableLocation t = lake.locate(s.table());
            lake.requireExists(t);
            long v = lake.latestVersion(t);
            sources.add(new dev.tokenmill.jobs.mixing.Mix.Resolved(s, t, v));
            versions.add(List.of(t.name(), v));
        }
        String idColumn = orDefault(p.step().idColumn(), "id");
        String textColumn = orDefault(p.step().textColumn(), "text");
        Map<String, Object> config = new LinkedHashMap<>(step.describe());
        if (step.tokenizer() != null) {
            config.put("tokenizer_sha256", dev.tokenmill.jobs.tokenizer.Tokenize.tokenizer(lake, step.tokenizer()).sha256());
        }
        Map<String, Object> fp = new LinkedHashMap<>();
        fp.put("stage", Stages.MIX);
        fp.put("config", config);
        fp.put("inputs", versions);
        fp.put("columns", List.of(idColumn, textColumn));
        fp.put("seed", recipe.seedOrDefault());
        fp.put("code_version", CodeVersion.get());
        String fingerprint = Json.fingerprint(fp);
        String arrow = Stages.MIX + " " + sources.size() + (sources.size() == 1 ? " source" : " sources") + " → " + p.output().name();
        if (upToDate(prefix, arrow, p.output(), fingerprint, force)) {
            return;
        }
        out.println(prefix + arrow + " ...");
        long t0 = System.nanoTime();
        Lineage l = dev.tokenmill.jobs.mixing.Mix.run(lake, sources, step, idColumn, textColumn, p.output(), fingerprint,
            config, recipe.seedOrDefault(), recipe.name());
        out.printf("%s%s@%d: %,d documents, %,.0f %s (%.1f s)%n", prefix, arrow, lake.latestVersion(p.output()),
            l.counters().get("documents"), (double) l.counters().get("units"), step.unit(), seconds(t0));
        for (String line : dev.tokenmill.jobs.mixing.MixReport.lines(l)) {
            out.println(prefix + "  " + line);
        }
    }

    private void runPretrain(String prefix, Planned p, dev.tokenmill.jobs.train.PretrainStep pretrain, Recipe recipe, boolean force) {
        lake.requireExists(p.input());
        long version = lake.latestVersion(p.input());
        String arrow = Stages.PRETRAIN + " " + p.input().name() + "@" + version + " → " + p.step().output();
        long t0 = System.nanoTime();
        var r = dev.tokenmill.jobs.train.Pretrain.run(lake, p.input(), version, pretrain, p.step().output(),
            recipe.seedOrDefault(), force, false, false, line -> {
                out.println(prefix + "  " + line);
                out.flush();
            });
        out.println(prefix + arrow + ": " + dev.tokenmill.jobs.train.PretrainReport.line(r, seconds(t0)));
    }

    private void runStage(String prefix, Planned p, Stage stage, Recipe recipe, boolean force) {
        lake.requireExists(p.input());
        long inputVersion = lake.latestVersion(p.input());
        String idColumn = orDefault(p.step().idColumn(), "id");
        String textColumn = orDefault(p.step().textColumn(), "text");
        List<Lineage.Input> inputs = List.of(Lineage.Input.table(p.input().name(), p.input().path(), inputVersion));
        StageContext context = new StageContext(lake.spark(), recipe.seedOrDefault(), idColumn, textColumn,
            path -> lake.locate(path).path());
        Map<String, Object> config = new LinkedHashMap<>(stage.config());
        try {
            Map<String, String> external = stage.externalInputs(context);
            if (!external.isEmpty()) {
                config.put("external_inputs", new java.util.TreeMap<>(external));
            }
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        Map<String, Object> fp = new LinkedHashMap<>();
        fp.put("stage", stage.name());
        fp.put("config", config);
        fp.put("inputs", inputs.stream().map(in -> List.of(in.table(), in.version())).toList());
        fp.put("columns", List.of(idColumn, textColumn));
        fp.put("code_version", CodeVersion.get());
        fp.put("seed", recipe.seedOrDefault());
        String fingerprint = Json.fingerprint(fp);
        String arrow = p.input().name() + "@" + inputVersion + " → " + p.output().name();
        if (!force && lake.exists(p.output())) {
            Lineage latest = lake.latestLineage(p.output());
            if (latest != null && fingerprint.equals(latest.fingerprint())) {
                out.println(prefix + stage.name() + " " + arrow + "@" + lake.latestVersion(p.output()) + ": up to date");
                return;
            }
        }
        out.println(prefix + stage.name() + " " + arrow + " ...");
        long t0 = System.nanoTime();
        Dataset<Row> input = lake.read(p.input(), inputVersion);
        for (String column : List.of(idColumn, textColumn)) {
            if (!List.of(input.columns()).contains(column)) {
                throw new UserError("stage " + stage.name() + ": table " + p.input().name() + " has no column '" + column
                    + "' (columns: " + String.join(", ", input.columns()) + ")");
            }
        }
        StageCommitter.Draft draft = new StageCommitter.Draft(stage.name(), fingerprint, inputs, config,
            recipe.seedOrDefault(), recipe.name(), idColumn, textColumn, stage.rejectingStages());
        LakeSideTables side = new LakeSideTables(lake, draft);
        context.withSideTables(side);
        Sessions.balanceSplits(lake.spark()); // the stage's input read is planned with the cores there are now
        Lineage lineage;
        try {
            Dataset<Row> tagged;
            try {
                tagged = stage.apply(input, context);
            } catch (IllegalArgumentException e) {
                // a stage's setup mistake found while planning (a missing model file, a clashing column)
                throw new UserError(e.getMessage());
            }
            if (!side.reads().isEmpty() || !side.writes().isEmpty()) {
                List<Lineage.Input> all = new ArrayList<>(inputs);
                all.addAll(side.reads());
                Map<String, Object> withWrites = new LinkedHashMap<>(config);
                withWrites.put("side_tables_written", side.writes());
                draft = new StageCommitter.Draft(stage.name(), fingerprint, all, withWrites, recipe.seedOrDefault(),
                    recipe.name(), idColumn, textColumn, stage.rejectingStages());
            }
            lineage = new StageCommitter(lake).commit(tagged, draft, p.output(), p.rejected(), context::counterValues);
        } finally {
            context.releasePersisted();
        }
        context.notes().forEach(line -> out.println(prefix + "  " + line));
        out.printf("%s%s %s@%d: %,d in, %,d kept, %,d rejected%s (%.1f s)%n", prefix, stage.name(), arrow,
            lake.latestVersion(p.output()), lineage.rowsIn(), lineage.rowsOut(), lineage.rowsRejected(),
            lineage.rejectedByRule().isEmpty() ? "" : " " + lineage.rejectedByRule(), seconds(t0));
    }

    /** Checks every step before anything runs, so a typo in the last stage costs nothing. */
    private List<Planned> plan(Recipe recipe) {
        Map<String, StageFactory> factories = Stages.all();
        List<Planned> plan = new ArrayList<>();
        for (int i = 0; i < recipe.stages().size(); i++) {
            Recipe.Step s = recipe.stages().get(i);
            String where = "recipe " + recipe.name() + ": stages[" + i + "] (" + s.stage() + ")";
            if (Stages.INGEST.equals(s.stage())) {
                require(where, "source", s.source());
                require(where, "input", s.input());
                plan.add(new Planned(s, new Ingest(IngestCli.options(s.source(), s.input(), s.format(), s.textField(),
                    s.idField(), s.columns(), Boolean.TRUE.equals(s.perLine()))), null, null, null));
                continue;
            }
            if (Stages.TRAIN_LM.equals(s.stage())) {
                require(where, "input", s.input());
                require(where, "output", s.output());
                Params params = new Params(Stages.TRAIN_LM, s.params());
                int order;
                try {
                    params.allowOnly("where", "order");
                    order = params.integer("order", 4, 2, 6);
                } catch (IllegalArgumentException e) {
                    throw new UserError(where + ": " + e.getMessage());
                }
                plan.add(new Planned(s, new LmStep(params.string("where", null), order), lake.locate(s.input()), null, null));
                continue;
            }
            if (Stages.TRAIN_TOKENIZER.equals(s.stage())) {
                require(where, "input", s.input());
                require(where, "output", s.output());
                Params params = new Params(Stages.TRAIN_TOKENIZER, s.params());
                TrainTokenizerStep step;
                try {
                    params.allowOnly("where", "type", "vocab_size", "min_frequency", "special_tokens", "pre_tokenizer",
                        "limit_alphabet", "character_coverage", "normalization", "byte_fallback", "max_piece_length");
                    List<String> specials = params.strings("special_tokens");
                    var settings = new dev.tokenmill.jobs.tokenizer.TokenizerTraining.Settings(
                        params.oneOf("type", "bpe", "bpe", "unigram"), params.integer("vocab_size", 32000, 257, 1 << 20),
                        specials.isEmpty() ? List.of("<|endoftext|>") : specials,
                        params.integer("min_frequency", 2, 1, Integer.MAX_VALUE), params.string("pre_tokenizer", "gpt2"),
                        params.integer("limit_alphabet", 0, 0, 256), params.number("character_coverage", 0.9995, 0.5, 1.0), params.oneOf("normalization", "nfkc", "nfkc", "identity"),
                        params.bool("byte_fallback", true), params.integer("max_piece_length", 16, 1, 64));
                    settings.validate();
                    step = new TrainTokenizerStep(params.string("where", null), settings);
                } catch (IllegalArgumentException e) {
                    throw new UserError(where + ": " + e.getMessage());
                }
                plan.add(new Planned(s, step, lake.locate(s.input()), null, null));
                continue;
            }
            if (Stages.TOKENIZE.equals(s.stage())) {
                require(where, "input", s.input());
                require(where, "output", s.output());
                Params params = new Params(Stages.TOKENIZE, s.params());
                TokenizeStep step;
                try {
                    params.allowOnly("tokenizer", "seq_len", "eos");
                    String tok = params.string("tokenizer", null);
                    if (tok == null) {
                        throw new IllegalArgumentException("missing parameter 'tokenizer' (a folder written by train-tokenizer)");
                    }
                    step = new TokenizeStep(tok, params.integer("seq_len", 1024, 1, 1 << 20),
                        params.string("eos", "<|endoftext|>"));
                } catch (IllegalArgumentException e) {
                    throw new UserError(where + ": " + e.getMessage());
                }
                plan.add(new Planned(s, step, lake.locate(s.input()), lake.locate(s.output()), null));
                continue;
            }
            if (Stages.MIX.equals(s.stage())) {
                require(where, "output", s.output());
                if (s.input() != null) {
                    throw new UserError(where + ": mix takes its tables from params.sources, not 'input'");
                }
                dev.tokenmill.jobs.mixing.MixStep step;
                try {
                    step = dev.tokenmill.jobs.mixing.MixStep.parse(s.params());
                } catch (IllegalArgumentException e) {
                    throw new UserError(where + ": " + e.getMessage());
                }
                plan.add(new Planned(s, new MixWork(step), null, lake.locate(s.output()), null));
                continue;
            }
            if (Stages.PRETRAIN.equals(s.stage())) {
                require(where, "input", s.input());
                require(where, "output", s.output());
                dev.tokenmill.jobs.train.PretrainStep step;
                try {
                    step = dev.tokenmill.jobs.train.PretrainStep.parse(s.params(), recipe.seedOrDefault());
                } catch (IllegalArgumentException e) {
                    throw new UserError(where + ": " + e.getMessage());
                }
                plan.add(new Planned(s, new PretrainWork(step), lake.locate(s.input()), null, null));
                continue;
            }
            StageFactory factory = factories.get(s.stage());
            if (factory == null) {
                throw new UserError(where + ": unknown stage (known: ingest, train-lm, train-tokenizer, tokenize, mix, pretrain, " + String.join(", ", factories.keySet()) + ")");
            }
            require(where, "input", s.input());
            require(where, "output", s.output());
            Stage stage;
            try {
                stage = factory.create(s.params());
            } catch (IllegalArgumentException e) {
                throw new UserError(where + ": " + e.getMessage());
            }
            TableLocation output = lake.locate(s.output());
            String rejected = s.rejected() != null ? s.rejected() : "rejected/" + lastSegment(s.output());
            plan.add(new Planned(s, new Transform(stage), lake.locate(s.input()), output, lake.locate(rejected)));
        }
        List<Dataflow.Step> flow = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            flow.add(dataflow(i, plan.get(i)));
        }
        Dataflow.check(recipe.name(), flow);
        return plan;
    }

    /** What a planned step reads and writes, for {@link Dataflow#check}. */
    private Dataflow.Step dataflow(int i, Planned p) {
        Map<String, String> reads = new LinkedHashMap<>();
        Map<String, String> writes = new LinkedHashMap<>();
        Map<String, String> shared = new LinkedHashMap<>();
        Recipe.Step s = p.step();
        if (p.work() instanceof Ingest ingest) {
            add(writes, "raw/" + ingest.options().source());
            add(writes, "quarantine/" + ingest.options().source());
        } else {
            if (s.input() != null) {
                add(reads, s.input());
            }
            add(writes, s.output());
        }
        if (p.rejected() != null) {
            shared.put(p.rejected().path(), p.rejected().name());
        }
        if (p.work() instanceof TokenizeStep t) {
            add(reads, t.tokenizer().replaceAll("/tokenizer\\.json$", ""));
        } else if (p.work() instanceof MixWork mix) {
            mix.step().sources().forEach(src -> add(reads, src.table()));
            if (mix.step().tokenizer() != null) {
                add(reads, mix.step().tokenizer().replaceAll("/tokenizer\\.json$", ""));
            }
        }
        return new Dataflow.Step("stages[" + i + "] (" + s.stage() + ")", reads, writes, shared);
    }

    private void add(Map<String, String> into, String nameOrPath) {
        TableLocation t = lake.locate(nameOrPath);
        into.put(t.path().replaceAll("/+$", ""), t.name());
    }

    private static void require(String where, String field, String value) {
        if (value == null || value.isBlank()) {
            throw new UserError(where + ": missing field '" + field + "'");
        }
    }

    private static String lastSegment(String name) {
        String trimmed = name.replaceAll("/+$", "");
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    private static String orDefault(String v, String d) {
        return v == null || v.isBlank() ? d : v;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
