package dev.tokenmill.quality.lang;

import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps a document when its detected language is in the allow-list (empty list: any language) and the detector's
 * probability is at least {@code minScore}. Only the first {@code maxChars} characters are read: the detectors'
 * cost grows with length while their answer settles within a few thousand characters.
 */
public final class LanguageFilter {
    public static final String RULE_NOT_ALLOWED = "language_not_allowed";
    public static final String RULE_LOW_SCORE = "language_low_score";

    private final LanguageIdentifier identifier;
    private final Set<String> allowed;
    private final double minScore;
    private final int maxChars;

    public LanguageFilter(LanguageIdentifier identifier, Set<String> allowed, double minScore, int maxChars) {
        this.identifier = identifier;
        this.allowed = new TreeSet<>();
        allowed.forEach(a -> this.allowed.add(LanguageCodes.normalise(a)));
        this.minScore = minScore;
        this.maxChars = maxChars;
    }

    /** What was detected and, when the document is dropped, which rule dropped it (null rule: kept). */
    public record Verdict(String lang, double score, String rule) {
        public boolean kept() {
            return rule == null;
        }
    }

    public Verdict evaluate(String text) {
        LanguageIdentifier.Guess g = identifier.identify(sample(text, maxChars));
        String rule = null;
        if (!allowed.isEmpty() && !allowed.contains(g.lang())) {
            rule = RULE_NOT_ALLOWED;
        } else if (g.score() < minScore) {
            rule = RULE_LOW_SCORE;
        }
        return new Verdict(g.lang(), g.score(), rule);
    }

    /** The first {@code maxChars} characters, cut back to whitespace so no word (or surrogate pair) is split. */
    static String sample(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        int cut = maxChars;
        while (cut > maxChars / 2 && !Character.isWhitespace(text.charAt(cut))) {
            cut--;
        }
        if (!Character.isWhitespace(text.charAt(cut))) {
            // no whitespace nearby (CJK): cut anywhere, but not inside a surrogate pair
            cut = Character.isLowSurrogate(text.charAt(maxChars)) ? maxChars - 1 : maxChars;
        }
        return text.substring(0, cut);
    }

    public Set<String> allowed() {
        return allowed;
    }

    public double minScore() {
        return minScore;
    }

    public int maxChars() {
        return maxChars;
    }
}
