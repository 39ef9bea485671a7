package dev.tokenmill.quality.lang;

import java.util.Locale;

/** One code per language across detectors: ISO 639-1, lower case, with the few detector-specific names folded. */
public final class LanguageCodes {
    private LanguageCodes() {}

    public static String normalise(String code) {
        String c = code.toLowerCase(Locale.ROOT).replace('_', '-');
        int dash = c.indexOf('-');
        if (dash > 0) {
            c = c.substring(0, dash); // zh-CN, zh-TW -> zh; pt-BR -> pt
        }
        return switch (c) {
            case "no" -> "nb"; // Optimaize's Norwegian profile is Bokmål
            case "none", "" -> LanguageIdentifier.UNKNOWN;
            default -> c;
        };
    }
}
