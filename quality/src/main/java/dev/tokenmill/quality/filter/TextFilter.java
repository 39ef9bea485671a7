package dev.tokenmill.quality.filter;

import java.util.List;

/**
 * One document-level rule set (Gopher quality, Gopher repetition, C4, FineWeb, ...). Plain Java, no Spark.
 * Instances hold per-thread scratch buffers: use one per task, never share across threads.
 */
public interface TextFilter {

    /** Preset name as recipes use it, e.g. {@code gopher_quality}. */
    String name();

    /** The thresholds in force (published defaults plus overrides). */
    Thresholds thresholds();

    /** Names of the signals this filter measures, in the order {@link #evaluate} writes them. */
    List<String> signals();

    /**
     * Measures {@code text}, writing {@link #signals()} into {@code out[offset …]}, and decides. A filter that
     * rewrites text (C4 drops lines) returns the new text in the outcome; the next filter sees that text.
     */
    Outcome evaluate(String text, double[] out, int offset);

    /** The decision on one document: kept (rule == null) or the first rule it broke, with value and threshold. */
    record Outcome(String text, String rule, double value, double threshold) {
        public static Outcome keep(String text) {
            return new Outcome(text, null, Double.NaN, Double.NaN);
        }

        public static Outcome drop(String text, String rule, double value, double threshold) {
            return new Outcome(text, rule, value, threshold);
        }

        public boolean kept() {
            return rule == null;
        }
    }
}
