package dev.tokenmill.tokenizer.bpe;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's byte-to-character alphabet: printable bytes (0x21–0x7E, 0xA1–0xAC, 0xAE–0xFF) stand for themselves, the
 * other 68 bytes map in increasing order to U+0100, U+0101, … (space → Ġ, newline → Ċ). Every byte sequence becomes
 * a string of visible characters, so any UTF-8 text is encodable and decodes back exactly.
 */
public final class ByteLevel {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[0x200];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (0x100 + next++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {}

    public static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte-level string of {@code text}'s UTF-8 bytes. */
    public static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(out);
    }

    /** Bytes of a byte-level string (invalid characters throw). */
    public static byte[] bytes(CharSequence byteLevel) {
        byte[] out = new byte[byteLevel.length()];
        for (int i = 0; i < out.length; i++) {
            char c = byteLevel.charAt(i);
            int b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
            if (b < 0) {
                throw new IllegalArgumentException("not a byte-level character: U+" + Integer.toHexString(c));
            }
            out[i] = (byte) b;
        }
        return out;
    }
}
