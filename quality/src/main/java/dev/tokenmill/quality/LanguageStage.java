package dev.tokenmill.quality;

import dev.tokenmill.core.Rejection;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageContext;
import dev.tokenmill.quality.lang.LanguageFilter;
import dev.tokenmill.quality.lang.LanguageIdentifiers;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The {@code langid} stage: adds {@code lang} and {@code lang_score} to every document and drops those outside
 * the allow-list or under the minimum score. Kept and dropped rows both carry the columns, so a different
 * threshold is one SQL query on the output and rejected tables.
 */
public final class LanguageStage implements Stage {
    /** The parameters as parsed (defaults filled in) plus what they resolve to: the config in lineage. */
    private final Map<String, Object> settings;

    public static final String LANG = "lang";
    public static final String SCORE = "lang_score";

    private final String detector;
    private final Set<String> allowed;
    private final double minScore;
    private final int maxChars;

    public LanguageStage(
            Map<String, Object> settings, String detector, Set<String> allowed, double minScore, int maxChars) {
        this.settings = settings;
        this.detector = detector;
        this.allowed = Set.copyOf(allowed);
        this.minScore = minScore;
        this.maxChars = maxChars;
    }

    @Override
    public String name() {
        return "langid";
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
        ColumnLayout layout = new ColumnLayout(
                input.schema(),
                List.of(
                        DataTypes.createStructField(LANG, DataTypes.StringType, false),
                        DataTypes.createStructField(SCORE, DataTypes.DoubleType, false)));
        int textIndex = input.schema().fieldIndex(context.textColumn());
        String name = detector;
        long seed = context.seed();
        Set<String> allow = allowed;
        double min = minScore;
        int chars = maxChars;
        MapPartitionsFunction<Row, Row> fn = rows -> new Tagger(
                rows, new LanguageFilter(LanguageIdentifiers.shared(name, seed), allow, min, chars), layout, textIndex);
        return input.mapPartitions(fn, Encoders.row(layout.schema));
    }

    private static final class Tagger extends ColumnLayoutIterator {
        private final LanguageFilter filter;
        private final int textIndex;

        Tagger(Iterator<Row> rows, LanguageFilter filter, ColumnLayout layout, int textIndex) {
            super(rows, layout);
            this.filter = filter;
            this.textIndex = textIndex;
        }

        @Override
        void fill(Row row, Object[] values) {
            if (row.isNullAt(textIndex)) {
                values[layout.firstAdded] = dev.tokenmill.quality.lang.LanguageIdentifier.UNKNOWN;
                values[layout.firstAdded + 1] = 0.0;
                values[layout.tagIndex] = Rejection.of("missing-text", null, null, "text is null");
                return;
            }
            LanguageFilter.Verdict v = filter.evaluate(row.getString(textIndex));
            values[layout.firstAdded] = v.lang();
            values[layout.firstAdded + 1] = v.score();
            if (!v.kept()) {
                Double threshold = v.rule().equals(LanguageFilter.RULE_LOW_SCORE) ? filter.minScore() : null;
                values[layout.tagIndex] = Rejection.of(v.rule(), v.score(), threshold, "lang=" + v.lang());
            }
        }
    }
}
