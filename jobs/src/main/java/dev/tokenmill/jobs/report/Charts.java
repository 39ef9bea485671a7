package dev.tokenmill.jobs.report;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.statistics.HistogramType;

/** The report's and notebooks' charts (JFreeChart, headless); for the report as PNG data URIs, everything inline. */
public final class Charts {
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e)
    };

    private Charts() {}

    /** Bars per category, one series per key of {@code series} (in order), values by category. */
    static String bars(
            String title,
            String categoryAxis,
            String valueAxis,
            List<String> categories,
            Map<String, List<? extends Number>> series,
            boolean stacked) {
        int height = horizontal(categories)
                ? Math.max(320, 110 + categories.size() * (stacked ? 22 : 14 + 10 * series.size()))
                : 400;
        return png(barChart(title, categoryAxis, valueAxis, categories, series, stacked), 900, height);
    }

    /** Bars per category, one series per key of {@code series} (in order), values by category. */
    public static JFreeChart barChart(
            String title,
            String categoryAxis,
            String valueAxis,
            List<String> categories,
            Map<String, List<? extends Number>> series,
            boolean stacked) {
        System.setProperty("java.awt.headless", "true");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        series.forEach((name, values) -> {
            for (int i = 0; i < categories.size(); i++) {
                data.addValue(values.get(i), name, categories.get(i));
            }
        });
        // many or long labels: bars across, labels on the left in full (up to half the width) instead of cut slanted
        PlotOrientation orientation = horizontal(categories) ? PlotOrientation.HORIZONTAL : PlotOrientation.VERTICAL;
        JFreeChart chart = stacked
                ? ChartFactory.createStackedBarChart(
                        title, categoryAxis, valueAxis, data, orientation, true, false, false)
                : ChartFactory.createBarChart(title, categoryAxis, valueAxis, data, orientation, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        if (orientation == PlotOrientation.HORIZONTAL) {
            plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(0.5f);
            plot.getDomainAxis().setCategoryMargin(0.15);
        }
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        for (int i = 0; i < PALETTE.length; i++) {
            r.setSeriesPaint(i, PALETTE[i]);
        }
        return chart;
    }

    /** Bars go across when there are many categories or a label is long (rule names, table names). */
    static boolean horizontal(List<String> categories) {
        return categories.size() > 6 || categories.stream().anyMatch(c -> c.length() > 14);
    }

    /** A histogram with vertical lines at {@code thresholds} (label → value), e.g. a filter's min and max. */
    public static JFreeChart histogram(
            String title, String axis, double[] values, int bins, Map<String, Double> thresholds) {
        JFreeChart chart = histogram(title, axis, values, bins);
        XYPlot plot = chart.getXYPlot();
        double lo = java.util.Arrays.stream(values).min().orElse(0);
        double hi = java.util.Arrays.stream(values).max().orElse(1);
        thresholds.forEach((label, at) -> {
            org.jfree.chart.plot.ValueMarker m = new org.jfree.chart.plot.ValueMarker(at);
            m.setPaint(PALETTE[1]);
            m.setStroke(new java.awt.BasicStroke(
                    2f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            m.setLabel(label + " "
                    + (at == Math.rint(at) && Math.abs(at) < 1e9 ? String.valueOf((long) (double) at) : at));
            m.setLabelPaint(PALETTE[1]);
            m.setLabelFont(new java.awt.Font("SansSerif", java.awt.Font.PLAIN, 12));
            boolean rightHalf = at > (lo + hi) / 2; // the label on the side with room for it
            m.setLabelAnchor(
                    rightHalf
                            ? org.jfree.chart.ui.RectangleAnchor.TOP_LEFT
                            : org.jfree.chart.ui.RectangleAnchor.TOP_RIGHT);
            m.setLabelTextAnchor(
                    rightHalf ? org.jfree.chart.ui.TextAnchor.TOP_RIGHT : org.jfree.chart.ui.TextAnchor.TOP_LEFT);
            plot.addDomainMarker(m);
        });
        return chart;
    }

    /** A histogram of {@code values} in {@code bins} equal-width bins. */
    public static JFreeChart histogram(String title, String axis, double[] values, int bins) {
        System.setProperty("java.awt.headless", "true");
        HistogramDataset data = new HistogramDataset();
        data.setType(HistogramType.FREQUENCY);
        data.addSeries(axis, values.length == 0 ? new double[] {0} : values, bins);
        JFreeChart chart = ChartFactory.createHistogram(
                title, axis, "documents", data, PlotOrientation.VERTICAL, false, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYBarRenderer r = (XYBarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        r.setSeriesPaint(0, PALETTE[0]);
        return chart;
    }

    /**
     * Points of y against x, one series per key of {@code series} (each a list of {x, y} pairs), optionally with a
     * log x axis (compute, parameters).
     */
    public static JFreeChart scatter(
            String title, String xAxis, String yAxis, Map<String, List<double[]>> series, boolean logX) {
        System.setProperty("java.awt.headless", "true");
        org.jfree.data.xy.XYSeriesCollection data = new org.jfree.data.xy.XYSeriesCollection();
        series.forEach((name, points) -> {
            org.jfree.data.xy.XYSeries s = new org.jfree.data.xy.XYSeries(name, false);
            points.forEach(p -> s.add(p[0], p[1]));
            data.addSeries(s);
        });
        JFreeChart chart = ChartFactory.createScatterPlot(
                title, xAxis, yAxis, data, PlotOrientation.VERTICAL, series.size() > 1, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        ((org.jfree.chart.axis.NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        double lo = series.values().stream()
                .flatMap(List::stream)
                .mapToDouble(p -> p[0])
                .min()
                .orElse(0);
        double hi = series.values().stream()
                .flatMap(List::stream)
                .mapToDouble(p -> p[0])
                .max()
                .orElse(0);
        if (logX && lo > 0 && hi > lo) { // a log axis needs a positive range: runs of one size stay linear
            plot.setDomainAxis(new org.jfree.chart.axis.LogAxis(xAxis));
        } else {
            ((org.jfree.chart.axis.NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
        }
        for (int i = 0; i < PALETTE.length; i++) {
            plot.getRenderer().setSeriesPaint(i, PALETTE[i]);
        }
        return chart;
    }

    public static String png(JFreeChart chart, int width, int height) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ChartUtils.writeChartAsPNG(out, chart, width, height);
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
