package dev.tokenmill.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.util.Json;
import dev.tokenmill.train.scaling.ChinchillaFit;
import dev.tokenmill.train.scaling.ScalingLaw;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Fits Chinchilla's L(N, D) = E + A/N^α + B/D^β to runs (approach 3) and splits a FLOP budget optimally. */
@Command(
        name = "scaling-fit",
        mixinStandardHelpOptions = true,
        description = "Fit L(N, D) = E + A/N^α + B/D^β to runs (Chinchilla approach 3: Huber on log-loss, a grid of "
                + "initialisations, bootstrap intervals); print the compute-optimal N and D for --budget.")
public final class ScalingFitCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "RUNS.jsonl|RUNS.csv|SWEEP.work/results",
            description = "One run per line: parameters, tokens, loss (JSONL fields or CSV columns with a header); "
                    + "or a sweep's results folder (one JSON per run).")
    Path file;

    @Option(
            names = "--loss-field",
            defaultValue = "loss",
            description = "The field or column holding the loss (default ${DEFAULT-VALUE}; a sweep's: held_out_loss, "
                    + "or eval:TABLE for its loss on an eval table).")
    String lossField;

    @Option(
            names = "--parameters-field",
            defaultValue = "parameters",
            description = "The field or column counted as N (default ${DEFAULT-VALUE}; a sweep also has "
                    + "non_embedding_parameters).")
    String parametersField;

    @Option(
            names = "--plot",
            paramLabel = "FILE.png",
            description = "Draw the iso-FLOP curves of the fitted law with the runs (PNG).")
    Path plot;

    @Option(names = "--budget", description = "A FLOP budget (C ≈ 6·N·D) to split, e.g. 1e18 (repeatable).")
    List<Double> budgets = List.of();

    @Option(
            names = "--bootstrap",
            defaultValue = "200",
            description = "Bootstrap refits for the intervals (default ${DEFAULT-VALUE}; 0: none).")
    int bootstrap;

    @Option(
            names = "--hold-out-largest",
            defaultValue = "0",
            description = "Fit without the K runs of largest compute and report how well the law predicts them.")
    int holdOut;

    @Option(names = "--seed", defaultValue = "42", description = "Bootstrap seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        List<ChinchillaFit.Run> runs = read(file, parametersField, lossField);
        List<ChinchillaFit.Run> fitted = new ArrayList<>(runs);
        fitted.sort(Comparator.comparingDouble(r -> r.parameters() * r.tokens()));
        List<ChinchillaFit.Run> heldOut = new ArrayList<>();
        if (holdOut > 0) {
            if (holdOut >= runs.size() - 4) {
                throw new UserError("scaling-fit: holding out " + holdOut + " of " + runs.size()
                        + " runs leaves fewer than 5 to fit");
            }
            heldOut.addAll(fitted.subList(fitted.size() - holdOut, fitted.size()));
            fitted = new ArrayList<>(fitted.subList(0, fitted.size() - holdOut));
        }
        ChinchillaFit.Result r;
        try {
            r = ChinchillaFit.fit(fitted, bootstrap, seed);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UserError("scaling-fit: " + e.getMessage());
        }
        ScalingLaw l = r.law();
        out.printf(
                "%d runs fitted: L(N, D) = %.4f + %.4g / N^%.4f + %.4g / D^%.4f  (Huber objective %.3g)%n",
                fitted.size(), l.e(), l.a(), l.alpha(), l.b(), l.beta(), r.objective());
        if (r.intervals() != null) {
            String[] names = {"E", "A", "B", "alpha", "beta"};
            double[] values = {l.e(), l.a(), l.b(), l.alpha(), l.beta()};
            for (int i = 0; i < 5; i++) {
                out.printf(
                        "  %-5s %.4g  (95 %% bootstrap interval %.4g – %.4g, %d refits)%n",
                        names[i], values[i], r.intervals()[i][0], r.intervals()[i][1], bootstrap);
            }
        }
        for (ChinchillaFit.Run h : heldOut) {
            double predicted = l.loss(h.parameters(), h.tokens());
            out.printf(
                    "held out: N %.3g, D %.3g, C %.3g: loss %.4f, predicted %.4f (%+.2f %%)%n",
                    h.parameters(),
                    h.tokens(),
                    6 * h.parameters() * h.tokens(),
                    h.loss(),
                    predicted,
                    100 * (predicted - h.loss()) / h.loss());
        }
        for (double c : budgets) {
            double[] opt = l.optimal(c);
            out.printf(
                    "budget %.3g FLOPs: N_opt %.3g parameters, D_opt %.3g tokens (%.1f tokens per parameter), loss %.4f%n",
                    c, opt[0], opt[1], opt[1] / opt[0], l.loss(opt[0], opt[1]));
        }
        if (plot != null) {
            try {
                org.jfree.chart.ChartUtils.saveChartAsPNG(
                        plot.toFile(), dev.tokenmill.jobs.report.ScalingChart.isoFlop(l, fitted, heldOut), 900, 560);
            } catch (java.io.IOException e) {
                throw new UserError("scaling-fit: cannot write " + plot + ": " + e.getMessage());
            }
            out.println("iso-FLOP plot: " + plot);
        }
        out.flush();
    }

    private static List<ChinchillaFit.Run> read(Path file, String parametersField, String lossField) {
        List<String> lines = new ArrayList<>();
        try {
            if (Files.isDirectory(file)) {
                try (var files = Files.list(file)) {
                    for (Path f : files.filter(f -> f.toString().endsWith(".json"))
                            .sorted()
                            .toList()) {
                        lines.add(Files.readString(f, StandardCharsets.UTF_8).replace('\n', ' '));
                    }
                }
            } else {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UserError("scaling-fit: cannot read " + file + ": " + e.getMessage());
        }
        List<ChinchillaFit.Run> runs = new ArrayList<>();
        boolean csv = file.toString().endsWith(".csv");
        List<String> header = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            try {
                if (csv) {
                    List<String> cells = List.of(line.split("\\s*,\\s*"));
                    if (header == null) {
                        header = cells;
                        for (String c : List.of(parametersField, "tokens", lossField)) {
                            if (!header.contains(c)) {
                                throw new UserError("scaling-fit: " + where + "the header needs " + parametersField
                                        + ", tokens and " + lossField + " columns");
                            }
                        }
                        continue;
                    }
                    runs.add(new ChinchillaFit.Run(
                            Double.parseDouble(cells.get(header.indexOf(parametersField))),
                            Double.parseDouble(cells.get(header.indexOf("tokens"))),
                            Double.parseDouble(cells.get(header.indexOf(lossField)))));
                } else {
                    JsonNode n = Json.read(line);
                    JsonNode loss = lossField.startsWith("eval:")
                            ? n.path("eval").path(lossField.substring(5))
                            : n.path(lossField);
                    if (!n.path(parametersField).isNumber() || !n.path("tokens").isNumber() || !loss.isNumber()) {
                        throw new UserError("scaling-fit: " + where + "expected numbers " + parametersField
                                + ", tokens and " + lossField);
                    }
                    runs.add(new ChinchillaFit.Run(
                            n.get(parametersField).asDouble(), n.get("tokens").asDouble(), loss.asDouble()));
                }
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) { // bad numbers or JSON
                throw new UserError("scaling-fit: " + where + "not a run: " + line);
            }
        }
        return runs;
    }
}
