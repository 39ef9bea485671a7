package dev.tokenmill.jobs.report;

import dev.tokenmill.train.scaling.ChinchillaFit;
import dev.tokenmill.train.scaling.ScalingLaw;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Chinchilla's iso-FLOP view of a fitted law: loss against parameters N for fixed compute budgets C (each curve is
 * L(N, C / 6N)), the observed runs as points (fitted and held out apart), and the compute-optimal N of each budget
 * joined as the frontier.
 */
public final class ScalingChart {
    private ScalingChart() {}

    public static JFreeChart isoFlop(ScalingLaw law, List<ChinchillaFit.Run> fitted, List<ChinchillaFit.Run> heldOut) {
        System.setProperty("java.awt.headless", "true");
        double minN = Double.MAX_VALUE;
        double maxN = 0;
        double minC = Double.MAX_VALUE;
        double maxC = 0;
        for (List<ChinchillaFit.Run> runs : List.of(fitted, heldOut)) {
            for (ChinchillaFit.Run r : runs) {
                minN = Math.min(minN, r.parameters());
                maxN = Math.max(maxN, r.parameters());
                minC = Math.min(minC, 6 * r.parameters() * r.tokens());
                maxC = Math.max(maxC, 6 * r.parameters() * r.tokens());
            }
        }
        double lowN = minN / 3;
        double highN = maxN * 3;
        XYSeriesCollection lines = new XYSeriesCollection();
        XYSeries frontier = new XYSeries("compute-optimal N", false);
        int curves = 5;
        for (int j = 0; j < curves; j++) {
            // budgets from the smallest run's compute to ten times the largest, evenly in log
            double c = minC * Math.pow(maxC * 10 / minC, j / (double) (curves - 1));
            XYSeries s = new XYSeries(String.format("C = %.2g FLOPs", c), false);
            for (int i = 0; i <= 60; i++) {
                double n = lowN * Math.pow(highN / lowN, i / 60.0);
                s.add(n, law.loss(n, c / (6 * n)));
            }
            lines.addSeries(s);
            double[] opt = law.optimal(c);
            if (opt[0] >= lowN && opt[0] <= highN) {
                frontier.add(opt[0], law.loss(opt[0], opt[1]));
            }
        }
        lines.addSeries(frontier);
        XYSeriesCollection points = new XYSeriesCollection();
        XYSeries f = new XYSeries("runs (fitted)", false);
        fitted.forEach(r -> f.add(r.parameters(), r.loss()));
        points.addSeries(f);
        if (!heldOut.isEmpty()) {
            XYSeries h = new XYSeries("runs (held out)", false);
            heldOut.forEach(r -> h.add(r.parameters(), r.loss()));
            points.addSeries(h);
        }
        LogAxis x = new LogAxis("parameters N");
        x.setSmallestValue(lowN);
        NumberAxis y = new NumberAxis("loss");
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer lineRenderer = new XYLineAndShapeRenderer(true, false);
        for (int j = 0; j < curves; j++) {
            lineRenderer.setSeriesPaint(j, new Color(0x1f, 0x77, 0xb4, 90 + 165 * j / (curves - 1)));
        }
        lineRenderer.setSeriesPaint(curves, Color.DARK_GRAY);
        lineRenderer.setSeriesStroke(
                curves, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        XYLineAndShapeRenderer pointRenderer = new XYLineAndShapeRenderer(false, true);
        pointRenderer.setSeriesPaint(0, new Color(0xd62728));
        pointRenderer.setSeriesPaint(1, new Color(0xff7f0e));
        XYPlot plot = new XYPlot(lines, x, y, lineRenderer);
        plot.setDataset(1, points);
        plot.setRenderer(1, pointRenderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        return new JFreeChart(
                String.format(
                        "L(N, D) = %.3f + %.3g/N^%.3f + %.3g/D^%.3f: iso-FLOP curves",
                        law.e(), law.a(), law.alpha(), law.b(), law.beta()),
                JFreeChart.DEFAULT_TITLE_FONT,
                plot,
                true);
    }
}
