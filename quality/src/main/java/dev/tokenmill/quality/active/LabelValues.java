package dev.tokenmill.quality.active;

import java.util.Locale;
import java.util.Map;

/**
 * What a labeller may write in a labelling file's {@code label} column: 1 / 0 and the words people use for the two
 * classes of a quality classifier (good / bad, keep / drop, …), case and surrounding spaces ignored. An empty cell
 * means "not labelled yet".
 */
public final class LabelValues {
    public static final int POSITIVE = 1;
    public static final int NEGATIVE = 0;

    private static final Map<String, Integer> WORDS = Map.ofEntries(
            Map.entry("1", POSITIVE),
            Map.entry("1.0", POSITIVE),
            Map.entry("good", POSITIVE),
            Map.entry("positive", POSITIVE),
            Map.entry("pos", POSITIVE),
            Map.entry("keep", POSITIVE),
            Map.entry("yes", POSITIVE),
            Map.entry("true", POSITIVE),
            Map.entry("high", POSITIVE),
            Map.entry("0", NEGATIVE),
            Map.entry("0.0", NEGATIVE),
            Map.entry("bad", NEGATIVE),
            Map.entry("negative", NEGATIVE),
            Map.entry("neg", NEGATIVE),
            Map.entry("drop", NEGATIVE),
            Map.entry("no", NEGATIVE),
            Map.entry("false", NEGATIVE),
            Map.entry("low", NEGATIVE));

    /** The accepted spellings, for error messages. */
    public static final String ACCEPTED = "1/0, good/bad, positive/negative, keep/drop, yes/no, true/false";

    private LabelValues() {}

    /** True for a missing or blank cell: the document has not been labelled. */
    public static boolean blank(String raw) {
        return raw == null || raw.isBlank();
    }

    /** 1 or 0; throws {@link IllegalArgumentException} naming the value when it is none of the accepted ones. */
    public static int parse(String raw) {
        Integer v = raw == null ? null : WORDS.get(raw.strip().toLowerCase(Locale.ROOT));
        if (v == null) {
            throw new IllegalArgumentException("label '" + raw + "' is not one of " + ACCEPTED);
        }
        return v;
    }
}
