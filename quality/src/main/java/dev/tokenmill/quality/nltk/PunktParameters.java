package dev.tokenmill.quality.nltk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a Punkt model knows (NLTK's {@code PunktParameters}): abbreviation types, collocations (a period-final type
 * followed by a type, e.g. ("##number##", "written")), frequent sentence starters, and for each type the
 * orthographic contexts (upper/lower case at a sentence's beginning, in its middle, or unknown) it was seen in.
 * Read from the JSON that {@code conf/punkt/train_english.py} writes.
 */
public record PunktParameters(
        Set<String> abbrevTypes,
        Set<String> collocations,
        Set<String> sentStarters,
        Map<String, Integer> orthoContext,
        String source) {
    static final int BEG_UC = 1 << 1;
    static final int MID_UC = 1 << 2;
    static final int UNK_UC = 1 << 3;
    static final int BEG_LC = 1 << 4;
    static final int MID_LC = 1 << 5;
    static final int UNK_LC = 1 << 6;
    static final int UC = BEG_UC | MID_UC | UNK_UC;
    static final int LC = BEG_LC | MID_LC | UNK_LC;

    private static volatile PunktParameters english;

    /** The shipped English parameters (trained on Europarl English, see conf/punkt/train_english.py). */
    public static PunktParameters english() {
        if (english == null) {
            try (InputStream in = PunktParameters.class.getResourceAsStream("punkt-english.json")) {
                english = read(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the Punkt parameters punkt-english.json", e);
            }
        }
        return english;
    }

    public static PunktParameters read(InputStream in) throws IOException {
        JsonNode root = new ObjectMapper().readTree(in);
        Set<String> abbrevs = new HashSet<>();
        root.path("abbrev_types").forEach(n -> abbrevs.add(n.asText()));
        Set<String> collocations = new HashSet<>();
        root.path("collocations")
                .forEach(n -> collocations.add(pair(n.get(0).asText(), n.get(1).asText())));
        Set<String> starters = new HashSet<>();
        root.path("sent_starters").forEach(n -> starters.add(n.asText()));
        Map<String, Integer> ortho = new HashMap<>();
        root.path("ortho_context")
                .fields()
                .forEachRemaining(e -> ortho.put(e.getKey(), e.getValue().asInt()));
        return new PunktParameters(
                Set.copyOf(abbrevs),
                Set.copyOf(collocations),
                Set.copyOf(starters),
                Map.copyOf(ortho),
                root.path("source").asText(""));
    }

    /** A collocation's key: the two types joined by a character no token contains (tokens have no whitespace). */
    static String pair(String first, String second) {
        return first + ' ' + second;
    }

    int ortho(String type) {
        return orthoContext.getOrDefault(type, 0);
    }
}
