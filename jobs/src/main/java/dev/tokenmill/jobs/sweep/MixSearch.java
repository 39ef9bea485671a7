package dev.tokenmill.jobs.sweep;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.step.StepRun;
import dev.tokenmill.jobs.tokenizer.MegatronExport;
import dev.tokenmill.jobs.util.TextTable;
import dev.tokenmill.mixing.search.Dirichlet;
import dev.tokenmill.mixing.search.MixtureSearch;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * RegMix end to end. The sources' natural shares are their token counts; {@code runs} mixtures are drawn from a
 * Dirichlet around them and trained as a sweep (one Spark task each, resumable); a regression fitted on all but the
 * last {@code held_out_runs} is judged on those (Spearman ρ of predicted vs actual target loss); a regression fitted
 * on every run scores {@code candidates} fresh draws of the same prior and the {@code top} best are averaged into the
 * chosen weights; with {@code validate}, the chosen and the natural mixture are trained as two more runs. The chosen
 * weights are written as a ready {@code mix} step over the tables the sources were tokenized from.
 */
final class MixSearch {
    static final StructType SCHEMA =
            Sweep.SCHEMA.add("role", DataTypes.StringType, false).add("predicted_loss", DataTypes.DoubleType, true);

    private MixSearch() {}

    static void run(StepRun run, TableLocation output, MixSearchKind.Settings s, String label) {
        Lake lake = run.lake();
        int k = s.sources().size();
        double[] natural = new double[k];
        List<Lineage> tokenized = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            TableLocation t = lake.locate(s.sources().get(i));
            try {
                Lineage l = MegatronExport.tokenizeLineage(lake, t, run.version(t));
                tokenized.add(l);
                natural[i] = l.counters().getOrDefault("tokens", 0L);
            } catch (IllegalArgumentException e) {
                throw new UserError("mix-search: " + e.getMessage());
            }
        }
        double total = java.util.Arrays.stream(natural).sum();
        if (!(total > 0)) {
            throw new UserError("mix-search: the sources hold no tokens");
        }
        for (int i = 0; i < k; i++) {
            natural[i] /= total;
        }
        double concentration = s.concentration() == null ? k : s.concentration();
        Dirichlet prior = Dirichlet.around(natural, concentration, s.seed());
        List<Map<String, Object>> specs = new ArrayList<>();
        List<double[]> weights = new ArrayList<>();
        for (int r = 0; r < s.runs(); r++) {
            double[] w = prior.next();
            weights.add(w);
            specs.add(entry(String.format("mix-%03d", r), s.sources(), w));
        }
        Path work = Sweep.work(output);
        Sweep.Trained proxies = Sweep.train(run, work, settings(s, specs), label);

        double[] loss = new double[s.runs()];
        for (int r = 0; r < s.runs(); r++) {
            loss[r] = Sweep.metric(Sweep.result(proxies.runs().get(r)), s.target());
        }
        int fitted = s.runs() - s.heldOutRuns();
        ToDoubleFunction<double[]> partial = MixRegression.fit(
                lake.spark(),
                weights.subList(0, fitted),
                java.util.Arrays.copyOf(loss, fitted),
                s.regression(),
                s.seed());
        double[] predicted = new double[s.runs()];
        for (int r = 0; r < s.runs(); r++) {
            predicted[r] = partial.applyAsDouble(weights.get(r));
        }
        double[] heldPredicted = java.util.Arrays.copyOfRange(predicted, fitted, s.runs());
        double[] heldActual = java.util.Arrays.copyOfRange(loss, fitted, s.runs());
        double rho = MixtureSearch.spearman(heldPredicted, heldActual);
        double mae = 0;
        for (int i = 0; i < heldActual.length; i++) {
            mae += Math.abs(heldPredicted[i] - heldActual[i]) / heldActual.length;
        }
        ToDoubleFunction<double[]> full = MixRegression.fit(lake.spark(), weights, loss, s.regression(), s.seed());
        int best = 0;
        for (int r = 1; r < s.runs(); r++) {
            best = loss[r] < loss[best] ? r : best;
        }
        MixtureSearch.TrustRegion region =
                s.trustRegion() > 0 ? MixtureSearch.nearBest(weights, loss, s.trustRegion()) : null;
        MixtureSearch.Choice choice = MixtureSearch.search(
                full,
                Dirichlet.around(natural, concentration, s.seed() + 1),
                s.candidates(),
                s.top(),
                region == null ? w -> true : region);
        if (choice.weights() == null) {
            // no candidate fell near the best runs: the best run itself is the nearest thing to a choice
            choice = new MixtureSearch.Choice(
                    weights.get(best), full.applyAsDouble(weights.get(best)), s.candidates(), 0);
        }
        double[] chosen = rounded(choice.weights());
        double chosenPredicted = full.applyAsDouble(chosen);
        double naturalPredicted = full.applyAsDouble(natural);

        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < s.runs(); r++) {
            rows.add(row(proxies.runs().get(r), r < fitted ? "fit" : "held-out", predicted[r]));
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("regression", s.regression());
        results.put("target", s.target());
        results.put("fitted_runs", fitted);
        results.put("held_out_runs", s.heldOutRuns());
        results.put("spearman_held_out", rho);
        results.put("mean_abs_error_held_out", mae);
        results.put("natural_weights", named(s.sources(), natural));
        results.put("chosen_weights", named(s.sources(), chosen));
        results.put("chosen_predicted_loss", choice.predictedLoss());
        results.put("trust_region", s.trustRegion());
        if (region != null) {
            results.put("trust_region_radius", region.radius());
            results.put("candidates_admitted", choice.admitted());
        }
        results.put("best_run", proxies.runs().get(best).name());
        results.put("best_run_weights", named(s.sources(), weights.get(best)));
        results.put("best_run_loss", loss[best]);
        results.put("natural_predicted_loss", naturalPredicted);
        int trained = proxies.trainedNow();
        Double chosenLoss = null;
        Double naturalLoss = null;
        if (s.validate()) {
            List<Map<String, Object>> check =
                    List.of(entry("chosen", s.sources(), chosen), entry("natural", s.sources(), rounded(natural)));
            Sweep.Trained validation = Sweep.train(run, work, settings(s, check), label + " (validation)");
            trained += validation.trainedNow();
            SweepRun c = validation.runs().get(0);
            SweepRun n = validation.runs().get(1);
            chosenLoss = Sweep.metric(Sweep.result(c), s.target());
            naturalLoss = Sweep.metric(Sweep.result(n), s.target());
            rows.add(row(c, "chosen", chosenPredicted));
            rows.add(row(n, "natural", naturalPredicted));
            results.put("chosen_loss", chosenLoss);
            results.put("natural_loss", naturalLoss);
        }
        Path step = work.resolve("mix-step.yaml");
        writeMixStep(
                step,
                s,
                tokenized,
                chosen,
                total,
                rho,
                output.name(),
                chosenLoss != null && chosenLoss > naturalLoss
                        ? String.format(
                                Locale.ROOT,
                                "# warning: trained, this mixture reached %.4f, the natural mixture %.4f%n",
                                chosenLoss,
                                naturalLoss)
                        : "");
        results.put("mix_step", step.toString());
        run.commitTable(
                output,
                lake.spark().createDataFrame(rows, SCHEMA),
                rows.size(),
                rows.size(),
                Map.of("runs", (long) rows.size(), "trained", (long) trained),
                results);
        run.say(String.format(
                Locale.ROOT,
                "%s@%d: %d proxy runs; %s regression fitted on %d, Spearman ρ %.3f on the %d held out (mean |error| %.4f)",
                label,
                lake.latestVersion(output),
                s.runs(),
                s.regression(),
                fitted,
                rho,
                s.heldOutRuns(),
                mae));
        TextTable table = new TextTable("source", "natural", "chosen");
        for (int i = 0; i < k; i++) {
            table.row(
                    s.sources().get(i),
                    String.format(Locale.ROOT, "%.4f", natural[i]),
                    String.format(Locale.ROOT, "%.4f", chosen[i]));
        }
        StringWriter text = new StringWriter();
        table.print(new PrintWriter(text));
        text.toString().lines().forEach(l -> run.say("  " + l));
        run.say(String.format(
                Locale.ROOT,
                "  loss on %s, predicted: chosen %.4f, natural %.4f (mean of the %d best of %,d candidates: %.4f)",
                s.target(),
                chosenPredicted,
                naturalPredicted,
                s.top(),
                s.candidates(),
                choice.predictedLoss()));
        if (region != null) {
            run.say(String.format(
                    Locale.ROOT,
                    "  trust region: %,d of the candidates within %.3f of the %d best runs%s",
                    choice.admitted(),
                    region.radius(),
                    s.trustRegion(),
                    choice.admitted() == 0 ? " (none: the best run's weights are the choice)" : ""));
        }
        run.say(String.format(
                Locale.ROOT,
                "  best proxy run: %s, loss %.4f, weights %s",
                proxies.runs().get(best).name(),
                loss[best],
                weightsText(s.sources(), weights.get(best))));
        if (chosenLoss != null) {
            run.say(String.format(
                    Locale.ROOT,
                    "  loss on %s, trained: chosen %.4f, natural %.4f (%+.4f)",
                    s.target(),
                    chosenLoss,
                    naturalLoss,
                    chosenLoss - naturalLoss));
            if (chosenLoss > naturalLoss) {
                // the regression was wrong where it chose: its minimum lies where the proxy runs say little
                run.say("  warning: the chosen mixture trained worse than the natural one; the regression does not hold"
                        + " where it chose (more proxy runs, or the best proxy run's weights)");
            }
        }
        run.say("  mix step with the chosen weights: " + step);
    }

    private static Sweep.Settings settings(MixSearchKind.Settings s, List<Map<String, Object>> specs) {
        return new Sweep.Settings(
                SweepKind.entries(specs, s.base()), 1, s.eval(), s.evalWindows(), s.maxEpochs(), s.threads(), s.seed());
    }

    private static Map<String, Object> entry(String name, List<String> sources, double[] w) {
        Map<String, Object> weights = new LinkedHashMap<>();
        for (int i = 0; i < w.length; i++) {
            weights.put(sources.get(i), w[i]);
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", name);
        e.put("mix", weights);
        return e;
    }

    private static Row row(SweepRun r, String role, double predicted) {
        Object[] base = Sweep.row(r, Sweep.result(r));
        Object[] out = java.util.Arrays.copyOf(base, base.length + 2);
        out[base.length] = role;
        out[base.length + 1] = predicted;
        return RowFactory.create(out);
    }

    /** Weights to 4 decimals (what a recipe shows), still adding up to 1: the largest takes the rounding. */
    static double[] rounded(double[] w) {
        double[] out = new double[w.length];
        double sum = 0;
        int largest = 0;
        for (int i = 0; i < w.length; i++) {
            out[i] = Math.round(w[i] * 1e4) / 1e4;
            sum += out[i];
            largest = w[i] > w[largest] ? i : largest;
        }
        out[largest] = Math.round((out[largest] + 1 - sum) * 1e4) / 1e4;
        return out;
    }

    private static String weightsText(List<String> sources, double[] w) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            b.append(i == 0 ? "" : ", ").append(sources.get(i)).append(String.format(Locale.ROOT, " %.3f", w[i]));
        }
        return b.toString();
    }

    private static Map<String, Double> named(List<String> sources, double[] w) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < w.length; i++) {
            m.put(sources.get(i), w[i]);
        }
        return m;
    }

    /**
     * The chosen weights as a {@code mix} step over the tables the sources were tokenized from, counting tokens with
     * the same tokenizer, at the sources' natural total (a recipe may change the target).
     */
    private static void writeMixStep(
            Path file,
            MixSearchKind.Settings s,
            List<Lineage> tokenized,
            double[] chosen,
            double totalTokens,
            double rho,
            String searchTable,
            String warning) {
        StringBuilder y = new StringBuilder();
        y.append(String.format(
                Locale.ROOT,
                "# chosen by mix-search %s (%d proxy runs, %s regression, Spearman ρ %.3f on %d held-out runs)%n",
                searchTable,
                s.runs(),
                s.regression(),
                rho,
                s.heldOutRuns()));
        y.append(warning);
        y.append("- stage: mix\n  output: ").append(s.mixOutput()).append("\n  params:\n");
        Object tokenizer = tokenized.get(0).config().get("tokenizer");
        if (tokenizer != null) {
            y.append("    tokenizer: ").append(tokenizer).append('\n');
        }
        y.append("    sources:\n");
        for (int i = 0; i < chosen.length; i++) {
            Lineage l = tokenized.get(i);
            String table = l.inputs().isEmpty() || l.inputs().get(0).table() == null
                    ? s.sources().get(i)
                    : l.inputs().get(0).table();
            y.append(String.format(
                    Locale.ROOT,
                    "      - {table: %s, weight: %.4f, max_epochs: %s}   # tokenized as %s%n",
                    table,
                    chosen[i],
                    fmt(s.maxEpochs()),
                    s.sources().get(i)));
        }
        y.append(String.format(
                Locale.ROOT, "    target: %d   # tokens: the sources' natural total%n", (long) totalTokens));
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, y.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
