package dev.tokenmill.quality;

import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageContext;
import dev.tokenmill.quality.clean.TextCleaner;
import java.util.Iterator;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * The {@code clean} stage: {@link TextCleaner} over the text column, every change counted per rule; a document
 * left empty is rejected ({@code empty-text}) with its original text.
 */
public final class CleanStage implements Stage {
    /** The parameters as parsed (defaults filled in) plus what they resolve to: the config in lineage. */
    private final Map<String, Object> settings;

    private static final String[] COUNTERS = {
        "mojibake_runs_repaired",
        "zero_width_removed",
        "gutenberg_stripped",
        "javascript_lines_removed",
        "policy_lines_removed",
        "lorem_ipsum_lines_removed",
        "no_terminal_punctuation_lines_removed",
        "unicode_normalized",
        "line_endings_fixed",
        "control_chars_removed",
        "docs_changed"
    };

    private final TextCleaner.Options options;

    public CleanStage(Map<String, Object> settings, TextCleaner.Options options) {
        this.settings = settings;
        this.options = options;
    }

    @Override
    public String name() {
        return "clean";
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
        LongAccumulator[] counters = new LongAccumulator[COUNTERS.length];
        for (int i = 0; i < COUNTERS.length; i++) {
            counters[i] = context.counter(COUNTERS[i]);
        }
        TextCleaner.Options o = options;
        ColumnLayout layout = new ColumnLayout(schema, java.util.List.of());
        MapPartitionsFunction<Row, Row> fn =
                rows -> new CleaningIterator(rows, layout, new TextCleaner(o), textIndex, counters);
        return input.mapPartitions(fn, Encoders.row(layout.schema));
    }

    private static final class CleaningIterator extends TextRewriteIterator {
        private final TextCleaner cleaner;
        private final LongAccumulator[] c;

        CleaningIterator(
                Iterator<Row> rows,
                ColumnLayout layout,
                TextCleaner cleaner,
                int textIndex,
                LongAccumulator[] counters) {
            super(rows, layout, textIndex, "nothing left after cleaning");
            this.cleaner = cleaner;
            this.c = counters;
        }

        @Override
        String rewrite(String text) {
            TextCleaner.Report r = new TextCleaner.Report();
            String cleaned = cleaner.clean(text, r);
            c[0].add(r.mojibakeRuns);
            c[1].add(r.zeroWidthRemoved);
            c[2].add(r.gutenbergStripped ? 1 : 0);
            c[3].add(r.javascriptLines);
            c[4].add(r.policyLines);
            c[5].add(r.loremIpsumLines);
            c[6].add(r.noTerminalPunctuationLines);
            c[7].add(r.normalizer.unicodeChanged ? 1 : 0);
            c[8].add(r.normalizer.lineEndingsChanged ? 1 : 0);
            c[9].add(r.normalizer.controlCharsRemoved);
            c[10].add(cleaned.equals(text) ? 0 : 1);
            return cleaned;
        }
    }
}
