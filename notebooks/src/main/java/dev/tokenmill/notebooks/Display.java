package dev.tokenmill.notebooks;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

/**
 * How values look in a notebook: a Spark {@code Dataset} as an HTML table of its first rows, a JFreeChart or an image
 * as a PNG, {@link Html} as HTML, anything else as its {@code toString}. Cells call {@link #show} to emit more than
 * one output; the kernel {@linkplain #attach attaches} itself as the sink.
 */
public final class Display {
    /** Rows of a Dataset shown as a cell's value. */
    public static final int ROWS = 20;

    public static final int CHART_WIDTH = 900;
    public static final int CHART_HEIGHT = 450;

    private static volatile Consumer<DisplayData> sink;
    private static volatile Object held;

    private Display() {}

    /** HTML to show as is. */
    public record Html(String html) {
        @Override
        public String toString() {
            return html;
        }
    }

    public static void attach(Consumer<DisplayData> kernelDisplay) {
        sink = kernelDisplay;
    }

    /** Shows {@code value} now, as an output of the running cell (outside a kernel: prints its text form). */
    public static void show(Object value) {
        DisplayData d = render(value);
        Consumer<DisplayData> s = sink;
        if (s != null) {
            s.accept(d);
        } else {
            System.out.println(d.getData(io.github.spencerpark.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN));
        }
    }

    /** Called by the kernel from inside JShell with a cell's last value, which it then {@linkplain #take takes}. */
    public static void hold(Object value) {
        held = value;
    }

    public static Object take() {
        Object v = held;
        held = null;
        return v;
    }

    public static DisplayData render(Object value) {
        if (value instanceof DisplayData d) {
            return d;
        }
        if (value instanceof Dataset<?> ds) {
            return html(Tables.html(ds.toDF(), ROWS), ds.toDF().schema().simpleString());
        }
        if (value instanceof JFreeChart chart) {
            return png(
                    chart(chart, CHART_WIDTH, CHART_HEIGHT),
                    String.valueOf(
                            chart.getTitle() == null
                                    ? "chart"
                                    : chart.getTitle().getText()));
        }
        if (value instanceof BufferedImage image) {
            return png(image, "image " + image.getWidth() + "×" + image.getHeight());
        }
        if (value instanceof Html h) {
            return html(
                    h.html(),
                    h.html().replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ").strip());
        }
        if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Row) {
            @SuppressWarnings("unchecked")
            List<Row> rows = (List<Row>) list;
            return html(Tables.html(rows), rows.size() + " rows");
        }
        return new DisplayData(String.valueOf(value));
    }

    private static DisplayData html(String html, String text) {
        DisplayData d = new DisplayData(text);
        d.putHTML(html);
        return d;
    }

    private static DisplayData png(BufferedImage image, String text) {
        DisplayData d = new DisplayData(text);
        d.putData("image/png", Base64.getEncoder().encodeToString(pngBytes(image)));
        return d;
    }

    static BufferedImage chart(JFreeChart chart, int width, int height) {
        System.setProperty("java.awt.headless", "true");
        return chart.createBufferedImage(width, height);
    }

    static byte[] pngBytes(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ChartUtils.writeBufferedImageAsPNG(out, image);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean writePng(BufferedImage image, java.io.File file) throws IOException {
        return ImageIO.write(image, "png", file);
    }
}
