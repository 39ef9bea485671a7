package dev.tokenmill.quality;

import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageContext;
import dev.tokenmill.quality.pii.PiiMasker;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * The {@code pii} stage: masks personal data in the text with typed placeholders and adds one count column per
 * type ({@code pii_email}, {@code pii_ipv4}, …). It drops nothing.
 */
public final class PiiStage implements Stage {
    /** The parameters as parsed (defaults filled in) plus what they resolve to: the config in lineage. */
    private final Map<String, Object> settings;

    private final EnumSet<PiiMasker.Type> types;

    public PiiStage(Map<String, Object> settings, Set<PiiMasker.Type> types) {
        this.settings = settings;
        this.types = EnumSet.copyOf(types);
    }

    @Override
    public String name() {
        return "pii";
    }

    @Override
    public Map<String, Object> config() {
        return settings;
    }

    static String column(PiiMasker.Type t) {
        return "pii_" + t.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean rowWise() {
        return true;
    }

    @Override
    public Dataset<Row> apply(Dataset<Row> input, StageContext context) {
        StructType schema = input.schema();
        List<String> countColumns = new ArrayList<>();
        for (PiiMasker.Type t : PiiMasker.Type.values()) {
            countColumns.add(column(t));
        }
        ColumnLayout layout = new ColumnLayout(schema, countColumns, DataTypes.IntegerType, false);
        int textIn = schema.fieldIndex(context.textColumn());
        int textOut = layout.schema.fieldIndex(context.textColumn());
        List<LongAccumulator> totals = new ArrayList<>();
        for (PiiMasker.Type t : PiiMasker.Type.values()) {
            totals.add(context.counter(column(t)));
        }
        LongAccumulator docs = context.counter("docs_with_pii");
        EnumSet<PiiMasker.Type> chosen = types;
        MapPartitionsFunction<Row, Row> fn =
                rows -> new MaskingIterator(rows, new PiiMasker(chosen), layout, textIn, textOut, totals, docs);
        return input.mapPartitions(fn, Encoders.row(layout.schema));
    }

    private static final class MaskingIterator extends ColumnLayoutIterator {
        private final PiiMasker masker;
        private final int textIn;
        private final int textOut;
        private final List<LongAccumulator> totals;
        private final LongAccumulator docs;
        private final int types = PiiMasker.Type.values().length;

        MaskingIterator(
                Iterator<Row> rows,
                PiiMasker masker,
                ColumnLayout layout,
                int textIn,
                int textOut,
                List<LongAccumulator> totals,
                LongAccumulator docs) {
            super(rows, layout);
            this.masker = masker;
            this.textIn = textIn;
            this.textOut = textOut;
            this.totals = totals;
            this.docs = docs;
        }

        @Override
        void fill(Row row, Object[] values) {
            int[] counts = new int[types];
            if (!row.isNullAt(textIn)) {
                String text = row.getString(textIn);
                String masked = masker.mask(text, counts);
                values[textOut] = masked;
                if (masked != text) {
                    docs.add(1);
                }
            }
            for (int t = 0; t < types; t++) {
                values[layout.firstAdded + t] = counts[t];
                totals.get(t).add(counts[t]);
            }
        }
    }
}
