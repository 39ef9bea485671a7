package dev.tokenmill.jobs.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenmill.train.Metrics;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Plots a run's {@code metrics.jsonl} — training loss per step and held-out loss — as a PNG. */
public final class LossCurve {
    private LossCurve() {}

    /** Writes {@code file}; returns the number of training points plotted. */
    public static int write(Path runDir, Path file, String title) throws IOException {
        JFreeChart chart = chart(runDir, title);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 500);
        return ((XYSeriesCollection) chart.getXYPlot().getDataset())
                .getSeries(0)
                .getItemCount();
    }

    /** The chart of a run's metrics (training loss per step, held-out loss per evaluation). */
    public static JFreeChart chart(Path runDir, String title) {
        System.setProperty("java.awt.headless", "true");
        List<JsonNode> lines = Metrics.read(runDir);
        XYSeries train = new XYSeries("training loss");
        XYSeries eval = new XYSeries("held-out loss");
        for (JsonNode n : lines) {
            if (n.has("loss")) {
                train.add(n.get("step").asDouble(), n.get("loss").asDouble());
            } else if (n.has("eval_loss")) {
                eval.add(n.get("step").asDouble(), n.get("eval_loss").asDouble());
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(train);
        data.addSeries(eval);
        JFreeChart chart = ChartFactory.createXYLineChart(
                title, "step", "cross-entropy (nats/token)", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        ((org.jfree.chart.axis.NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        r.setSeriesPaint(0, new Color(0x1f77b4));
        r.setSeriesStroke(0, new BasicStroke(1.2f));
        r.setSeriesPaint(1, new Color(0xd62728));
        r.setSeriesStroke(1, new BasicStroke(2f));
        r.setSeriesShapesVisible(1, true);
        plot.setRenderer(r);
        return chart;
    }
}
