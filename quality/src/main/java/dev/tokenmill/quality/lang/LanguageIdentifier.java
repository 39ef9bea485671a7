package dev.tokenmill.quality.lang;

/**
 * Guesses the language of a text. Implementations are thread-safe and shared by all tasks of an executor, since
 * their models take seconds and hundreds of MB to load.
 */
public interface LanguageIdentifier {

    /** Code used when no language is confident enough. */
    String UNKNOWN = "und";

    /** The best language (ISO 639-1, "nb" for Norwegian Bokmål, "zh" for any Chinese) and its probability. */
    Guess identify(String text);

    /** Stable name recorded in the stage config. */
    String name();

    record Guess(String lang, double score) {
        public static final Guess NONE = new Guess(UNKNOWN, 0.0);
    }
}
