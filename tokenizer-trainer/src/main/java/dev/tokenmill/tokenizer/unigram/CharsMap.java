package dev.tokenmill.tokenizer.unigram;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A character-sequence rewrite table applied by longest match, left to right — SentencePiece's normalisation
 * model. {@link #nfkc()} is ours: every code point whose NFKC form differs maps to it, every canonically
 * decomposed sequence maps to its composed NFKC form (so decomposed input composes), controls and zero-width
 * characters are removed, and other space characters become a plain space. Tab, LF and CR stay as they are.
 * The same table is exported as SentencePiece's {@code precompiled_charsmap} (a darts-clone trie followed by
 * NUL-terminated replacements) for both the {@code .model} and tokenizer.json's {@code Precompiled} normalizer,
 * so every reader normalises exactly as we do.
 */
public final class CharsMap {
    private static volatile CharsMap nfkc;

    private final Map<String, String> rules;
    private final int maxKeyChars;

    public CharsMap(Map<String, String> rules) {
        this.rules = Map.copyOf(rules);
        this.maxKeyChars =
                rules.keySet().stream().mapToInt(String::length).max().orElse(0);
    }

    public static CharsMap identity() {
        return new CharsMap(Map.of());
    }

    public static CharsMap nfkc() {
        CharsMap m = nfkc;
        if (m == null) {
            nfkc = m = new CharsMap(buildNfkc());
        }
        return m;
    }

    public Map<String, String> rules() {
        return rules;
    }

    public boolean isIdentity() {
        return rules.isEmpty();
    }

    private static Map<String, String> buildNfkc() {
        Map<String, String> out = new TreeMap<>();
        for (int cp = 1; cp <= Character.MAX_CODE_POINT; cp++) {
            if (!Character.isDefined(cp) || Character.getType(cp) == Character.SURROGATE) {
                continue;
            }
            String s = new String(Character.toChars(cp));
            String replacement = special(cp);
            if (replacement == null) {
                String k = Normalizer.normalize(s, Normalizer.Form.NFKC);
                replacement = k.equals(s) ? null : k;
            }
            if (replacement != null) {
                out.put(s, replacement);
            }
            // decomposed sequences compose (Hangul syllables excepted: 11k entries for rarely decomposed text)
            if (cp < 0xAC00 || cp > 0xD7A3) {
                String d = Normalizer.normalize(s, Normalizer.Form.NFD);
                if (!d.equals(s) && d.codePointCount(0, d.length()) > 1) {
                    out.putIfAbsent(d, replacement == null ? s : replacement);
                }
            }
        }
        return out;
    }

    private static String special(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return null;
        }
        if (Character.getType(cp) == Character.CONTROL
                || cp == 0x200B
                || cp == 0x200E
                || cp == 0x200F
                || cp == 0xFEFF
                || cp == 0x00AD) {
            return "";
        }
        if (cp == 0x1680 || cp == 0x2028 || cp == 0x2029) {
            return " ";
        }
        return null;
    }

    /** Applies the table: the longest key starting at each position is replaced, other characters are copied. */
    public String apply(String text) {
        if (rules.isEmpty()) {
            return text;
        }
        StringBuilder out = null;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            int matched = 0;
            String replacement = null;
            // ASCII letters, digits, punctuation and space are rewritten only before a combining mark
            if (c < 0x7F && c >= 0x20 && (i + 1 == n || text.charAt(i + 1) < 0x80)) {
                matched = 0;
            } else {
                for (int len = Math.min(maxKeyChars, n - i); len >= 1; len--) {
                    String r = rules.get(text.substring(i, i + len));
                    if (r != null) {
                        matched = len;
                        replacement = r;
                        break;
                    }
                }
            }
            if (matched == 0) {
                if (out != null) {
                    out.append(c);
                }
                i++;
            } else {
                if (out == null) {
                    out = new StringBuilder(n + 16).append(text, 0, i);
                }
                out.append(replacement);
                i += matched;
            }
        }
        return out == null ? text : out.toString();
    }

    /** SentencePiece's precompiled_charsmap: uint32 LE trie size in bytes, the trie units, the replacements. */
    public byte[] toPrecompiled() {
        if (rules.isEmpty()) {
            return new byte[0];
        }
        List<byte[]> keys = new ArrayList<>();
        List<String> sortedKeys = new ArrayList<>(rules.keySet());
        sortedKeys.sort((a, b) ->
                Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
        int[] values = new int[sortedKeys.size()];
        ByteArrayOutputStream normalized = new ByteArrayOutputStream();
        Map<String, Integer> offsets = new HashMap<>();
        for (int k = 0; k < sortedKeys.size(); k++) {
            String key = sortedKeys.get(k);
            keys.add(key.getBytes(StandardCharsets.UTF_8));
            String r = rules.get(key);
            Integer at = offsets.get(r);
            if (at == null) {
                at = normalized.size();
                offsets.put(r, at);
                normalized.writeBytes(r.getBytes(StandardCharsets.UTF_8));
                normalized.write(0);
            }
            values[k] = at;
        }
        int[] units = DoubleArrayTrie.build(keys, values).units();
        ByteBuffer buf =
                ByteBuffer.allocate(4 + units.length * 4 + normalized.size()).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(units.length * 4);
        for (int u : units) {
            buf.putInt(u);
        }
        buf.put(normalized.toByteArray());
        return buf.array();
    }

    /** Reads a precompiled_charsmap back (ours or SentencePiece's). */
    public static CharsMap fromPrecompiled(byte[] blob) {
        if (blob.length == 0) {
            return identity();
        }
        ByteBuffer buf = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        int trieBytes = buf.getInt();
        if (trieBytes <= 0 || trieBytes % 4 != 0 || trieBytes + 4 > blob.length) {
            throw new IllegalArgumentException(
                    "not a precompiled_charsmap: trie size " + trieBytes + " of " + blob.length + " bytes");
        }
        int[] units = new int[trieBytes / 4];
        for (int i = 0; i < units.length; i++) {
            units[i] = buf.getInt();
        }
        byte[] normalized = Arrays.copyOfRange(blob, 4 + trieBytes, blob.length);
        Map<String, String> rules = new HashMap<>();
        new DoubleArrayTrie(units).forEach((key, value) -> {
            int end = value;
            while (end < normalized.length && normalized[end] != 0) {
                end++;
            }
            rules.put(
                    new String(key, StandardCharsets.UTF_8),
                    new String(normalized, value, end - value, StandardCharsets.UTF_8));
        });
        return new CharsMap(rules);
    }
}
