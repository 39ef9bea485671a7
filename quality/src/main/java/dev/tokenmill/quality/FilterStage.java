package dev.tokenmill.quality;

import dev.tokenmill.core.Rejection;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageContext;
import dev.tokenmill.quality.filter.Filters;
import dev.tokenmill.quality.filter.TextFilter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * The {@code filter} stage: runs the configured filters in order on each document. A filter that rewrites text
 * (C4 keeps only good lines) passes the new text on; the first filter that drops the document decides its rule,
 * value and threshold. Every measured signal becomes a nullable double column (null when an earlier filter
 * already dropped the document), so thresholds can be changed later with SQL and no recomputation.
 */
public final class FilterStage implements Stage {
    /** The parameters as parsed (defaults filled in) plus what they resolve to: the config in lineage. */
    private final Map<String, Object> settings;

    private final Filters filters;
    private final List<String> signalColumns;

    /** A bad-word list file read when the stage runs (through the runner's resources), or null. */
    private final String badWordsFile;

    public FilterStage(Map<String, Object> settings, Filters filters, String badWordsFile) {
        this.settings = settings;
        this.badWordsFile = badWordsFile;
        this.filters = filters;
        List<String> cols = new ArrayList<>();
        for (TextFilter f : filters.build()) {
            cols.addAll(f.signals());
        }
        this.signalColumns = List.copyOf(cols);
    }

    @Override
    public String name() {
        return "filter";
    }

    @Override
    public Map<String, Object> config() {
        return settings;
    }

    @Override
    public Map<String, String> externalInputs(StageContext context) {
        if (badWordsFile == null) {
            return Map.of();
        }
        return Map.of(badWordsFile, dev.tokenmill.core.Resources.sha256(readBadWords(context)));
    }

    private byte[] readBadWords(StageContext context) {
        if (!context.resources().exists(badWordsFile)) {
            throw new IllegalArgumentException(
                    "stage 'filter': bad_words_file " + context.resources().resolve(badWordsFile) + " does not exist");
        }
        return context.resources().read(badWordsFile);
    }

    public List<String> signalColumns() {
        return signalColumns;
    }

    @Override
    public boolean rowWise() {
        return true;
    }

    @Override
    public Dataset<Row> apply(Dataset<Row> input, StageContext context) {
        StructType schema = input.schema();
        int textIndex = schema.fieldIndex(context.textColumn());
        ColumnLayout layout = new ColumnLayout(schema, signalColumns, DataTypes.DoubleType, true);
        int outTextIndex = layout.schema.fieldIndex(context.textColumn());
        LongAccumulator rewritten = context.counter("c4_texts_rewritten");
        Filters f = badWordsFile == null
                ? filters
                : filters.withBadWords(
                        BadWords.parseFile(new String(readBadWords(context), java.nio.charset.StandardCharsets.UTF_8)));
        int signals = signalColumns.size();
        MapPartitionsFunction<Row, Row> fn =
                rows -> new FilteringIterator(rows, f.build(), layout, textIndex, outTextIndex, signals, rewritten);
        return input.mapPartitions(fn, Encoders.row(layout.schema));
    }

    /** Static so the Spark closure carries only the filter description, not the stage. */
    private static final class FilteringIterator extends ColumnLayoutIterator {
        private final List<TextFilter> filters;
        private final int textIndex;
        private final int outTextIndex;
        private final double[] signals;
        private final LongAccumulator rewritten;

        FilteringIterator(
                Iterator<Row> rows,
                List<TextFilter> filters,
                ColumnLayout layout,
                int textIndex,
                int outTextIndex,
                int signalCount,
                LongAccumulator rewritten) {
            super(rows, layout);
            this.filters = filters;
            this.textIndex = textIndex;
            this.outTextIndex = outTextIndex;
            this.signals = new double[signalCount];
            this.rewritten = rewritten;
        }

        @Override
        void fill(Row row, Object[] values) {
            java.util.Arrays.fill(signals, Double.NaN);
            String original = row.isNullAt(textIndex) ? null : row.getString(textIndex);
            if (original == null) {
                values[layout.tagIndex] = Rejection.of("missing-text", null, null, "text is null");
                return;
            }
            String text = original;
            TextFilter.Outcome verdict = null;
            int offset = 0;
            for (TextFilter filter : filters) {
                TextFilter.Outcome o = filter.evaluate(text, signals, offset);
                offset += filter.signals().size();
                if (!o.kept()) {
                    verdict = o;
                    break;
                }
                text = o.text();
            }
            for (int s = 0; s < signals.length; s++) {
                values[layout.firstAdded + s] = Double.isNaN(signals[s]) ? null : signals[s];
            }
            if (verdict != null) {
                values[layout.tagIndex] = Rejection.of(verdict.rule(), verdict.value(), verdict.threshold(), null);
            } else if (!text.equals(original)) {
                values[outTextIndex] = text;
                rewritten.add(1);
            }
        }
    }
}
