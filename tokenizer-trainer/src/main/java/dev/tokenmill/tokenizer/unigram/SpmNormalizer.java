package dev.tokenmill.tokenizer.unigram;

/**
 * SentencePiece's normaliser: the character map, then whitespace handling — leading, trailing and repeated
 * spaces dropped ({@code remove_extra_whitespaces}), a space put in front ({@code add_dummy_prefix}) and every
 * space written as {@code ▁} U+2581 ({@code escape_whitespaces}, always on here). Stateless and thread-safe.
 */
public record SpmNormalizer(String name, CharsMap charsMap, boolean addDummyPrefix, boolean removeExtraWhitespaces) {
    public static final char SPACE = '\u2581';

    public static SpmNormalizer of(String name, boolean addDummyPrefix, boolean removeExtraWhitespaces) {
        CharsMap map = switch (name) {
            case "nfkc" -> CharsMap.nfkc();
            case "identity" -> CharsMap.identity();
            default -> throw new IllegalArgumentException("unknown normalization '" + name + "' (nfkc or identity)");
        };
        return new SpmNormalizer(name, map, addDummyPrefix, removeExtraWhitespaces);
    }

    public String normalize(String text) {
        String mapped = charsMap.apply(text);
        int from = 0;
        int to = mapped.length();
        if (removeExtraWhitespaces) {
            while (from < to && mapped.charAt(from) == ' ') {
                from++;
            }
            while (to > from && mapped.charAt(to - 1) == ' ') {
                to--;
            }
        }
        if (from == to) {
            return "";
        }
        StringBuilder out = new StringBuilder(to - from + 1);
        if (addDummyPrefix) {
            out.append(SPACE);
        }
        boolean prevSpace = removeExtraWhitespaces && addDummyPrefix;
        for (int i = from; i < to; i++) {
            char c = mapped.charAt(i);
            if (c == ' ') {
                if (!(removeExtraWhitespaces && prevSpace)) {
                    out.append(SPACE);
                }
                prevSpace = true;
            } else {
                out.append(c);
                prevSpace = false;
            }
        }
        return out.toString();
    }

    /**
     * Undoes the escaping: {@code ▁} back to spaces, the dummy prefix dropped. With {@code remove_extra_whitespaces}
     * off and an NFKC-normal input this gives the input back.
     */
    public String denormalize(String pieces) {
        String s = pieces.replace(SPACE, ' ');
        return addDummyPrefix && s.startsWith(" ") ? s.substring(1) : s;
    }
}
