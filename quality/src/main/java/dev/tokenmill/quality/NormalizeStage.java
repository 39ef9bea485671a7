package dev.tokenmill.quality;

import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageContext;
import java.util.Iterator;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * The {@code normalize} stage: {@link TextNormalizer} over the text column. A document that is empty after
 * normalisation (or has no text) is rejected with rule {@code empty-text} / {@code missing-text}; the rejected
 * row keeps its original text.
 */
public final class NormalizeStage implements Stage {
    /** The parameters as parsed (defaults filled in) plus what they resolve to: the config in lineage. */
    private final Map<String, Object> settings;

    private final TextNormalizer.Form form;
    private final boolean collapseWhitespace;
    private final int maxBlankLines;
    private final boolean stripControl;

    public NormalizeStage(
            Map<String, Object> settings,
            TextNormalizer.Form form,
            boolean collapseWhitespace,
            int maxBlankLines,
            boolean stripControl) {
        this.settings = settings;
        this.form = form;
        this.collapseWhitespace = collapseWhitespace;
        this.maxBlankLines = maxBlankLines;
        this.stripControl = stripControl;
    }

    @Override
    public String name() {
        return "normalize";
    }

    @Override
    public Map<String, Object> config() {
        return settings;
    }

    @Override
    public boolean rowWise() {
        return true;
    }

    @Override
    public Dataset<Row> apply(Dataset<Row> input, StageContext context) {
        StructType schema = input.schema();
        int textIndex = schema.fieldIndex(context.textColumn());
        ColumnLayout layout = new ColumnLayout(schema, java.util.List.of());
        LongAccumulator unicode = context.counter("unicode_normalized");
        LongAccumulator lineEndings = context.counter("line_endings_fixed");
        LongAccumulator control = context.counter("control_chars_removed");
        LongAccumulator changed = context.counter("docs_changed");
        TextNormalizer.Form f = form;
        boolean collapse = collapseWhitespace;
        int blank = maxBlankLines;
        boolean strip = stripControl;
        MapPartitionsFunction<Row, Row> fn = rows -> new NormalizingIterator(
                rows,
                layout,
                textIndex,
                new TextNormalizer(f, collapse, blank, strip),
                unicode,
                lineEndings,
                control,
                changed);
        return input.mapPartitions(fn, Encoders.row(layout.schema));
    }

    /** Static so the Spark closure does not capture the stage object. */
    private static final class NormalizingIterator extends TextRewriteIterator {
        private final TextNormalizer normalizer;
        private final LongAccumulator unicode;
        private final LongAccumulator lineEndings;
        private final LongAccumulator control;
        private final LongAccumulator changed;

        NormalizingIterator(
                Iterator<Row> rows,
                ColumnLayout layout,
                int textIndex,
                TextNormalizer normalizer,
                LongAccumulator unicode,
                LongAccumulator lineEndings,
                LongAccumulator control,
                LongAccumulator changed) {
            super(rows, layout, textIndex, "no characters left after normalisation");
            this.normalizer = normalizer;
            this.unicode = unicode;
            this.lineEndings = lineEndings;
            this.control = control;
            this.changed = changed;
        }

        @Override
        String rewrite(String text) {
            TextNormalizer.Report report = new TextNormalizer.Report();
            String normalized = normalizer.normalize(text, report);
            unicode.add(report.unicodeChanged ? 1 : 0);
            lineEndings.add(report.lineEndingsChanged ? 1 : 0);
            control.add(report.controlCharsRemoved);
            changed.add(report.changed ? 1 : 0);
            return normalized;
        }
    }
}
