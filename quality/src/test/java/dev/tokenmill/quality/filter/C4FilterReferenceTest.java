package dev.tokenmill.quality.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The C4 filter, which judges lines as char ranges and builds its text lazily, against a plain String version of the
 * same rules (split on \R, strip, citation marks, then TFDS's checks in order) on random pages mixing every line break,
 * citations, phrases in any case, braces, ellipses and non-Latin-1 text.
 */
class C4FilterReferenceTest {
    private static final Pattern CITATION = Pattern.compile("\\[\\d*\\]|\\[edit\\]|\\[citation needed\\]");
    private static final String[] PIECES = {
        "The cat sat on the mat.",
        "one two three four five.",
        "Really?",
        "Yes!",
        "said \"so\"",
        " ",
        "  ",
        "\t",
        "\n",
        "\n",
        "\r\n",
        "\r",
        "\u2028",
        "\u0085",
        "\u000B",
        "[1]",
        "[edit]",
        "[x]",
        "JavaScript",
        "Terms of Use",
        "lorem ipsum",
        "{",
        "...",
        "…",
        "é",
        "“Москва”",
        "coo\u212Aie policy",
        "words words words words words",
        ".",
        "badword",
        "a"
    };

    @Test
    void matchesAPlainStringReference() {
        SplittableRandom random = new SplittableRandom(21);
        double[] out = new double[3];
        int keptPages = 0;
        for (int t = 0; t < 4000; t++) {
            StringBuilder b = new StringBuilder();
            for (int k = random.nextInt(1, 40); k > 0; k--) {
                b.append(PIECES[random.nextInt(PIECES.length)]);
                if (random.nextInt(2) == 0) {
                    b.append(' ');
                }
            }
            String page = b.toString();
            int minWords = random.nextInt(2) == 0 ? 5 : 3;
            C4Filter filter = new C4Filter(
                    C4Filter.NAME, Map.of("min_words_per_line", minWords, "min_sentences", 1), Set.of("badword"));
            TextFilter.Outcome actual = filter.evaluate(page, out, 0);
            Expected expected = reference(page, minWords);
            assertEquals(expected.rule, actual.rule(), page);
            assertEquals(expected.rule == null ? expected.text : page, actual.text(), page);
            assertEquals(expected.kept, out[0], page);
            assertEquals(expected.dropped, out[1], page);
            assertEquals(expected.sentences, out[2], page);
            keptPages += expected.rule == null ? 1 : 0;
        }
        assertEquals(true, keptPages > 200, "kept pages exercised: " + keptPages);
    }

    private record Expected(String rule, String text, int kept, int dropped, int sentences) {}

    private static Expected reference(String page, int minWords) {
        List<String> kept = new ArrayList<>();
        int dropped = 0;
        int sentences = 0;
        String[] lines = page.isEmpty() ? new String[0] : page.split("\\R", -1);
        if (lines.length > 0 && lines[lines.length - 1].isEmpty()) {
            lines = java.util.Arrays.copyOf(lines, lines.length - 1); // splitlines(): no line after a final break
        }
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty()) {
                dropped++; // no end mark
                continue;
            }
            if (line.contains("[") && !hasLongWord(line)) {
                line = CITATION.matcher(line).replaceAll("");
            }
            String lower = line.toLowerCase(Locale.ROOT);
            char last = line.isEmpty() ? ' ' : line.charAt(line.length() - 1);
            if (hasLongWord(line) || ".?!\"".indexOf(last) < 0 || line.endsWith("...") || words(line) < minWords) {
                dropped++;
            } else if (lower.contains("lorem ipsum")) {
                return new Expected("c4_lorem_ipsum", null, kept.size(), dropped, sentences);
            } else if (lower.contains("javascript")) {
                dropped++;
            } else if (line.contains("{")) {
                return new Expected("c4_curly_bracket", null, kept.size(), dropped, sentences);
            } else if (lower.contains("terms of use")
                    || lower.contains("privacy policy")
                    || lower.contains("cookie policy")
                    || lower.contains("uses cookies")
                    || lower.contains("use of cookies")
                    || lower.contains("use cookies")) {
                dropped++;
            } else {
                kept.add(line);
                sentences += dev.tokenmill.quality.nltk.PunktSentenceTokenizer.english()
                        .spans(line)
                        .size();
            }
        }
        String text = String.join("\n", kept).strip();
        if (sentences < 1) {
            return new Expected("c4_min_sentences", null, kept.size(), dropped, sentences);
        }
        if (Pattern.compile("(?:\\W|^)badword(?:\\W|$)", Pattern.UNICODE_CHARACTER_CLASS)
                .matcher(text.toLowerCase(Locale.ROOT))
                .find()) {
            return new Expected("c4_bad_words", null, kept.size(), dropped, sentences);
        }
        return new Expected(null, text, kept.size(), dropped, sentences);
    }

    private static boolean hasLongWord(String line) {
        for (String w : line.split("\\s+")) {
            if (w.length() > 1000) {
                return true;
            }
        }
        return false;
    }

    /** Python's len(line.split()). */
    private static int words(String line) {
        String s = line.strip();
        return s.isEmpty() ? 0 : s.split("\\s+").length;
    }
}
