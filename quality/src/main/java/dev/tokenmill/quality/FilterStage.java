package dev.tokenmill.quality;

import dev.tokenmill.core.Rejection;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageContext;
import dev.tokenmill.quality.filter.Filters;
import dev.tokenmill.quality.filter.TextFilter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
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
    private final Filters filters;
    private final List<String> signalColumns;

    public FilterStage(Filters filters) {
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
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("filters", filters.describe());
        return c;
    }

    public List<String> signalColumns() {
        return signalColumns;
    }

    @Override
    public Dataset<Row> apply(Dataset<Row> input, StageContext context) {
        StructType schema = input.schema();
        int textIndex = schema.fieldIndex(context.textColumn());
        // an input that already has a signal column (a re-filtered table) gets it recomputed, not duplicated
        StructType out = new StructType();
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < schema.fields().length; i++) {
            if (!signalColumns.contains(schema.fields()[i].name())) {
                out = out.add(schema.fields()[i]);
                keep.add(i);
            }
        }
        for (String col : signalColumns) {
            out = out.add(col, DataTypes.DoubleType, true);
        }
        out = Rejection.tagged(out);
        int outTextIndex = out.fieldIndex(context.textColumn());
        int[] kept = keep.stream().mapToInt(Integer::intValue).toArray();
        LongAccumulator rewritten = context.counter("c4_texts_rewritten");
        Filters f = filters;
        int signals = signalColumns.size();
        MapPartitionsFunction<Row, Row> fn = rows -> new FilteringIterator(rows, f.build(), kept, textIndex,
            outTextIndex, signals, rewritten);
        return input.mapPartitions(fn, Encoders.row(out));
    }

    /** Static so the Spark closure carries only the filter description, not the stage. */
    private static final class FilteringIterator implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final List<TextFilter> filters;
        private final int[] kept;
        private final int textIndex;
        private final int outTextIndex;
        private final double[] signals;
        private final LongAccumulator rewritten;

        FilteringIterator(Iterator<Row> rows, List<TextFilter> filters, int[] kept, int textIndex, int outTextIndex,
                          int signalCount, LongAccumulator rewritten) {
            this.rows = rows;
            this.filters = filters;
            this.kept = kept;
            this.textIndex = textIndex;
            this.outTextIndex = outTextIndex;
            this.signals = new double[signalCount];
            this.rewritten = rewritten;
        }

        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public Row next() {
            Row row = rows.next();
            Object[] values = new Object[kept.length + signals.length + 1];
            for (int i = 0; i < kept.length; i++) {
                values[i] = row.get(kept[i]);
            }
            java.util.Arrays.fill(signals, Double.NaN);
            String original = row.isNullAt(textIndex) ? null : row.getString(textIndex);
            if (original == null) {
                values[values.length - 1] = Rejection.of("missing-text", null, null, "text is null");
                return RowFactory.create(values);
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
                values[kept.length + s] = Double.isNaN(signals[s]) ? null : signals[s];
            }
            if (verdict != null) {
                values[values.length - 1] = Rejection.of(verdict.rule(), verdict.value(), verdict.threshold(), null);
            } else if (!text.equals(original)) {
                values[outTextIndex] = text;
                rewritten.add(1);
            }
            return RowFactory.create(values);
        }
    }
}
