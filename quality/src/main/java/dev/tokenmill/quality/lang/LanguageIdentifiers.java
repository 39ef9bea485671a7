package dev.tokenmill.quality.lang;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** One shared identifier per (detector, seed) per JVM: loading models is the expensive part. */
public final class LanguageIdentifiers {
    public static final List<String> NAMES = List.of("optimaize", "lingua", "lingua-low");
    private static final ConcurrentHashMap<String, LanguageIdentifier> SHARED = new ConcurrentHashMap<>();

    private LanguageIdentifiers() {}

    public static LanguageIdentifier shared(String name, long seed) {
        return SHARED.computeIfAbsent(name + "/" + seed, k -> create(name, seed));
    }

    public static LanguageIdentifier create(String name, long seed) {
        return switch (name) {
            case "optimaize" -> new OptimaizeIdentifier(seed);
            case "lingua" -> new LinguaIdentifier(false);
            case "lingua-low" -> new LinguaIdentifier(true);
            default ->
                throw new IllegalArgumentException(
                        "unknown language detector '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        };
    }
}
