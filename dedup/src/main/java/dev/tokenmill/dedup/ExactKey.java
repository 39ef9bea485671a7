package dev.tokenmill.dedup;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * The key two documents share when they are the same text up to the folding chosen: Unicode NFKC, case,
 * punctuation and whitespace. Hashed to 128 bits (MurmurHash3 x64, commons-codec): at 10^10 documents the odds
 * of any collision stay below 10^-18.
 */
public final class ExactKey implements java.io.Serializable {
    private final boolean foldCase;
    private final boolean dropPunctuation;
    private final boolean foldWhitespace;

    public ExactKey(boolean foldCase, boolean dropPunctuation, boolean foldWhitespace) {
        this.foldCase = foldCase;
        this.dropPunctuation = dropPunctuation;
        this.foldWhitespace = foldWhitespace;
    }

    /** The text as compared. */
    public String normalise(String text) {
        String t = Normalizer.normalize(text, Normalizer.Form.NFKC);
        if (foldCase) {
            t = t.toLowerCase(Locale.ROOT);
        }
        StringBuilder sb = new StringBuilder(t.length());
        boolean pendingSpace = false;
        for (int i = 0; i < t.length(); ) {
            int cp = t.codePointAt(i);
            i += Character.charCount(cp);
            if (dropPunctuation && isPunctuation(cp)) {
                continue;
            }
            if (foldWhitespace && Character.isWhitespace(cp)) {
                pendingSpace = sb.length() > 0;
                continue;
            }
            if (pendingSpace) {
                sb.append(' ');
                pendingSpace = false;
            }
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    /** 32 hex characters. */
    public String key(String text) {
        long[] h = MurmurHash3.hash128x64(normalise(text).getBytes(StandardCharsets.UTF_8));
        return String.format("%016x%016x", h[0], h[1]);
    }

    private static boolean isPunctuation(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION,
                    Character.DASH_PUNCTUATION,
                    Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }
}
