package dev.tokenmill.quality.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Documents for the filter conformance suite, generated from a seed: each draws its own mix of line kinds (prose
 * with and without end marks, short lines, bullets, ellipses, blank and repeated lines, headings, lists of numbers)
 * and of word kinds (stop words in any case, short and long words, '#', ellipses, numbers, contractions, quotes,
 * URLs, non-Latin text, emoji) with weights spread around every rule's threshold, so each rule is met and missed by
 * some documents. Separators include the spaces and line breaks where Python and Java disagree (NBSP, U+2028,
 * {@code \r\n}, {@code \x0b}, {@code \x1c}).
 */
final class ConformanceCorpus {
    private static final String[] STOP = {
        "the", "be", "to", "of", "and", "that", "have", "with", "The", "THE", "And", "To"
    };
    private static final String[] SHORT = {"a", "I", "is", "it", "on", "at", "by", "we", "he", "go", "ox", "up"};
    private static final String[] MEDIUM = {
        "house", "river", "stone", "garden", "window", "letter", "morning", "silver", "quickly", "village", "winter",
        "people", "market", "captain", "answer", "forest", "yellow", "brother"
    };
    private static final String[] LONG = {
        "internationalisation",
        "counterrevolutionaries",
        "uncharacteristically",
        "electroencephalograph",
        "institutionalization",
        "telecommunications"
    };
    private static final String[] ODD = {
        "#",
        "##",
        "#tag",
        "...",
        "…",
        "1234",
        "3.14",
        "1,000",
        "1990-2000",
        "can't",
        "won't",
        "I'm",
        "they'd",
        "cannot",
        "gonna",
        "'tis",
        "“quoted”",
        "‘single’",
        "\"plain\"",
        "'apos'",
        "«guillemets»",
        "www.gutenberg.org",
        "http://example.com/a?b=c",
        "e.g.",
        "U.S.",
        "Mr.",
        "(paren)",
        "[bracket]",
        "{brace}",
        "well-known",
        "--",
        "—",
        "x_y",
        "café",
        "naïve",
        "Москва",
        "東京",
        "गांधी",
        "😀",
        "🙂🙂",
        "x\u0301",
        "ﬁne",
        "½",
        "Ⅻ",
        "²",
        "؟",
        "।",
        "。",
        "!!",
        "?!",
        "*",
        "•",
        "@user",
        "$5",
        "50%",
        "&",
        ";",
        ":",
        "n't",
        "''",
        "``"
    };
    private static final String[] END = {
        ".", ".", ".", "!", "?", "\"", "'", "”", "’", "»", "…", "...", "。", "؟", "।", ":", ";", ",", ""
    };
    private static final String[] SPACE = {" ", " ", " ", " ", " ", " ", "  ", "\t", "\u00a0", "\u3000", "\u2009"};
    private static final String[] BREAK = {
        "\n", "\n", "\n", "\n", "\n", "\n", "\n", "\n", "\r\n", "\u2028", "\u000b", "\u001c", "\u0085", "\r", "\f"
    };
    private static final String[] C4_WORDS = {
        "javascript",
        "JavaScript",
        "lorem ipsum",
        "Lorem Ipsum",
        "terms of use",
        "privacy policy",
        "cookie policy",
        "uses cookies",
        "[1]",
        "[edit]",
        "[citation needed]",
        "[12]",
        "badword"
    };
    private static final String[] BULLETS = {"• ", "- ", "* ", "‣ ", "– ", "  • ", "\t- "};

    private ConformanceCorpus() {}

    static List<String> synthetic(int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> docs = new ArrayList<>();
        for (int d = 0; d < count; d++) {
            docs.add(document(rng));
        }
        return docs;
    }

    /**
     * One document: mostly {@link #mixed}; some aimed at the thresholds random mixes rarely reach (a dense symbol,
     * nearly all lines bulleted, repeated paragraphs).
     */
    private static String document(SplittableRandom rng) {
        double mode = rng.nextDouble();
        if (mode < 0.1) {
            return dense(rng);
        }
        if (mode < 0.2) {
            return bulleted(rng);
        }
        if (mode < 0.3) {
            return paragraphs(rng);
        }
        return mixed(rng);
    }

    /** Prose with '#', "..." or "…" (or all three) as 0-25 % of its tokens: Gopher's symbol ratios around 0.1. */
    private static String dense(SplittableRandom rng) {
        String[] symbols = {"#", "...", "…", "##", "a...b"};
        String symbol = symbols[rng.nextInt(symbols.length)];
        double p = rng.nextDouble() * 0.25;
        StringBuilder b = new StringBuilder();
        for (int i = rng.nextInt(40, 400); i > 0; i--) {
            b.append(
                    rng.nextDouble() < p
                            ? symbol
                            : rng.nextInt(3) == 0
                                    ? STOP[rng.nextInt(STOP.length)]
                                    : MEDIUM[rng.nextInt(MEDIUM.length)]);
            b.append(rng.nextInt(12) == 0 ? ".\n" : " ");
        }
        return b.toString();
    }

    /** Lines of which 75-100 % start with a bullet: Gopher's 0.9. */
    private static String bulleted(SplittableRandom rng) {
        double q = 0.75 + rng.nextDouble() * 0.25;
        String[] counted = {"• ", "- ", "  • ", "\t- ", "-"};
        StringBuilder b = new StringBuilder();
        for (int i = rng.nextInt(5, 60); i > 0; i--) {
            if (rng.nextDouble() < q) {
                // DataTrove counts lines starting with • or -; now and then another bullet that only extra_bullets
                // counts
                b.append(
                        rng.nextInt(10) == 0
                                ? BULLETS[rng.nextInt(BULLETS.length)]
                                : counted[rng.nextInt(counted.length)]);
            }
            b.append(sentence(rng, new double[] {1, 1, 0.1, 3, 0}, 0.02, 0, 0, rng.nextInt(2, 12)))
                    .append(end(rng))
                    .append('\n');
        }
        return b.toString();
    }

    /** Paragraphs separated by blank lines, each a repeat of an earlier one with probability 0-60 %. */
    private static String paragraphs(SplittableRandom rng) {
        double r = rng.nextDouble() * 0.6;
        List<String> paras = new ArrayList<>();
        for (int i = rng.nextInt(3, 30); i > 0; i--) {
            if (!paras.isEmpty() && rng.nextDouble() < r) {
                paras.add(paras.get(rng.nextInt(paras.size())));
            } else {
                paras.add(multiSentence(rng, new double[] {1, 1, 0.1, 3, 0}, 0.02, 0, 0)
                        + (rng.nextBoolean()
                                ? "\n" + multiSentence(rng, new double[] {1, 1, 0.1, 3, 0}, 0.02, 0, 0)
                                : ""));
            }
        }
        return String.join(rng.nextInt(4) == 0 ? "\n\n\n" : "\n\n", paras);
    }

    /** Per-document weights for line and word kinds, then lines drawn from them. */
    private static String mixed(SplittableRandom rng) {
        double[] lineKinds = weights(rng, 9);
        double[] wordKinds = weights(rng, 5);
        double odd = rng.nextDouble() < 0.5 ? rng.nextDouble() * 0.3 : rng.nextDouble() * 0.05;
        double c4Word = rng.nextDouble() < 0.3 ? rng.nextDouble() * 0.1 : 0;
        double oddSpace = rng.nextDouble() < 0.3 ? rng.nextDouble() * 0.2 : 0;
        double oddBreak = rng.nextDouble() < 0.3 ? rng.nextDouble() * 0.5 : 0;
        // word budgets around Gopher's 50 words, and larger
        int words = rng.nextDouble() < 0.3 ? rng.nextInt(30, 75) : rng.nextInt(20, 900);
        List<String> lines = new ArrayList<>();
        int used = 0;
        while (used < words) {
            int kind = pick(rng, lineKinds);
            String line;
            switch (kind) {
                case 0 -> line = sentence(rng, wordKinds, odd, c4Word, oddSpace, rng.nextInt(4, 25)) + end(rng);
                case 1 -> line = sentence(rng, wordKinds, odd, c4Word, oddSpace, rng.nextInt(3, 20)); // no end mark
                case 2 -> line = sentence(rng, wordKinds, odd, c4Word, oddSpace, rng.nextInt(1, 4)); // short
                case 3 ->
                    line = BULLETS[rng.nextInt(BULLETS.length)]
                            + sentence(rng, wordKinds, odd, c4Word, oddSpace, rng.nextInt(2, 12));
                case 4 ->
                    line = sentence(rng, wordKinds, odd, c4Word, oddSpace, rng.nextInt(2, 15))
                            + (rng.nextBoolean() ? "..." : "…");
                case 5 -> line = rng.nextBoolean() ? "" : SPACE[rng.nextInt(SPACE.length)];
                case 6 -> line = lines.isEmpty() ? "Repeated line here." : lines.get(rng.nextInt(lines.size()));
                case 7 -> line = "# " + sentence(rng, wordKinds, odd, c4Word, oddSpace, rng.nextInt(1, 6));
                default -> line = multiSentence(rng, wordKinds, odd, c4Word, oddSpace);
            }
            lines.add(line);
            used += Math.max(1, line.length() / 6);
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (i > 0) {
                b.append(rng.nextDouble() < oddBreak ? BREAK[rng.nextInt(BREAK.length)] : "\n");
                if (rng.nextDouble() < 0.1) {
                    b.append('\n'); // paragraph break
                }
            }
            b.append(lines.get(i));
        }
        if (rng.nextDouble() < 0.2) {
            b.append(rng.nextBoolean() ? "\n" : " \n");
        }
        return b.toString();
    }

    /** Several sentences on one line: C4 counts them with Punkt, abbreviations included. */
    private static String multiSentence(
            SplittableRandom rng, double[] wordKinds, double odd, double c4Word, double oddSpace) {
        StringBuilder b = new StringBuilder();
        for (int s = rng.nextInt(1, 5); s > 0; s--) {
            if (b.length() > 0) {
                b.append(' ');
            }
            if (rng.nextDouble() < 0.2) {
                b.append(rng.nextBoolean() ? "Mr. Smith said " : "The U.S. government and ");
            }
            b.append(sentence(rng, wordKinds, odd, c4Word, oddSpace, rng.nextInt(3, 14)))
                    .append(end(rng));
        }
        return b.toString();
    }

    private static String sentence(
            SplittableRandom rng, double[] wordKinds, double odd, double c4Word, double oddSpace, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(rng.nextDouble() < oddSpace ? SPACE[rng.nextInt(SPACE.length)] : " ");
            }
            String w;
            if (rng.nextDouble() < c4Word) {
                w = C4_WORDS[rng.nextInt(C4_WORDS.length)];
            } else if (rng.nextDouble() < odd) {
                w = ODD[rng.nextInt(ODD.length)];
            } else {
                String[] pool = switch (pick(rng, wordKinds)) {
                    case 0 -> STOP;
                    case 1 -> SHORT;
                    case 2 -> LONG;
                    default -> MEDIUM;
                };
                w = pool[rng.nextInt(pool.length)];
            }
            if (i == 0 && rng.nextBoolean() && Character.isLowerCase(w.charAt(0))) {
                w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
            }
            b.append(w);
            if (rng.nextDouble() < 0.08) {
                b.append(rng.nextBoolean() ? "," : ";");
            }
        }
        return b.toString();
    }

    private static String end(SplittableRandom rng) {
        return END[rng.nextInt(END.length)];
    }

    /** Random weights: a few kinds dominate in each document, so the ratios spread over their whole range. */
    private static double[] weights(SplittableRandom rng, int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = Math.pow(rng.nextDouble(), 3);
        }
        w[rng.nextInt(n)] += rng.nextDouble();
        return w;
    }

    private static int pick(SplittableRandom rng, double[] w) {
        double total = 0;
        for (double x : w) {
            total += x;
        }
        double r = rng.nextDouble() * total;
        for (int i = 0; i < w.length; i++) {
            r -= w[i];
            if (r < 0) {
                return i;
            }
        }
        return w.length - 1;
    }
}
