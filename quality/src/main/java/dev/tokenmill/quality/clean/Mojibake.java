package dev.tokenmill.quality.clean;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Repairs text that was UTF-8 but got decoded as Windows-1252 or Latin-1 ("cafÃ©" → "café",
 * "â€™" → "’"). A run of non-ASCII characters that all map back to single bytes in cp1252 (or Latin-1 for the
 * five bytes cp1252 leaves undefined) is turned back into those bytes; when the bytes are valid UTF-8 and decode
 * to fewer characters, the run is replaced. Genuine Latin-1 text such as "café" is left alone: a lone "é" is
 * not a valid UTF-8 sequence. Bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D have no cp1252 character: a decoder
 * that turned them into U+FFFD destroyed them, and such runs are left as they are.
 */
public final class Mojibake {
    private static final String CP1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";

    private Mojibake() {}

    /** The byte a character had in cp1252 / Latin-1, or -1 when it has none. */
    static int byteOf(char c) {
        if (c < 0x80) {
            return -1; // ASCII, nearly every character: no scan of the cp1252 table
        }
        if (c <= 0xFF) {
            return c; // Latin-1: every byte 0x80–0xFF is the character of the same number
        }
        int i = CP1252_HIGH.indexOf(c);
        return i >= 0 ? 0x80 + i : -1;
    }

    /** Repaired text (the same object when nothing changed); {@code repairs[0]} counts repaired runs. */
    public static String repair(String text, int[] repairs) {
        StringBuilder out = null;
        int n = text.length();
        int last = 0;
        int i = 0;
        while (i < n) {
            if (byteOf(text.charAt(i)) < 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && byteOf(text.charAt(i)) >= 0) {
                i++;
            }
            if (i - start < 2) {
                continue;
            }
            String fixed = decode(text, start, i);
            if (fixed != null) {
                if (out == null) {
                    out = new StringBuilder(n);
                }
                out.append(text, last, start).append(fixed);
                last = i;
                repairs[0]++;
            }
        }
        return out == null ? text : out.append(text, last, n).toString();
    }

    private static String decode(String text, int from, int to) {
        byte[] bytes = new byte[to - from];
        for (int k = from; k < to; k++) {
            bytes[k - from] = (byte) byteOf(text.charAt(k));
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes));
            return chars.length() < bytes.length ? chars.toString() : null;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
