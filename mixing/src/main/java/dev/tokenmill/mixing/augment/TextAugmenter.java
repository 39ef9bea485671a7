package dev.tokenmill.mixing.augment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seeded text transformations for data augmentation: EDA's four word operations (Wei & Zou 2019: synonym replacement
 * and synonym insertion from a {@link WordNet}, random swap, random deletion), an insertion of the document's own
 * words for when there is no WordNet, and noise a corpus meets in the wild
 * (keyboard-adjacent typos, OCR confusions, case and whitespace changes), sentence shuffling within a paragraph and
 * span masking. Each op has a probability of being applied to a copy and a strength (EDA's α: the share of words or
 * characters it touches). Pure and deterministic: the same text, ops and seed give the same copy. Word operations
 * keep the text's separators (line breaks stay where they were).
 *
 */
public final class TextAugmenter {
    /** One op: its name, the probability that a copy gets it, and its strength in (0, 1]. */
    public record Op(String name, double probability, double strength) implements java.io.Serializable {
        public Op {
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown augment op " + name + " (known: " + NAMES + ")");
            }
            if (!(probability >= 0 && probability <= 1) || !(strength > 0 && strength <= 1)) {
                throw new IllegalArgumentException(
                        "op " + name + ": probability must be in [0, 1] and strength in (0, 1]");
            }
        }
    }

    /** What a copy became and which ops made it (in order, with their strengths). */
    public record Result(String text, List<String> applied) {}

    public static final List<String> NAMES = List.of(
            "synonym",
            "synonym_insert",
            "swap",
            "delete",
            "insert",
            "typo",
            "ocr",
            "case",
            "whitespace",
            "sentence_shuffle",
            "mask");
    /** The ops that need a {@link WordNet}. */
    public static final List<String> NEED_WORDNET = List.of("synonym", "synonym_insert");
    /** Function words EDA leaves alone (its synonym ops skip stop words). */
    private static final Set<String> STOP_WORDS = Set.of(
            "a", "an", "the", "and", "or", "but", "if", "of", "at", "by", "for", "with", "about", "to", "from", "in",
            "on", "up", "out", "over", "under", "again", "then", "once", "here", "there", "when", "where", "why", "how",
            "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "no", "nor", "not", "only",
            "own", "same", "so", "than", "too", "very", "can", "will", "just", "should", "now", "i", "me", "my", "we",
            "our", "you", "your", "he", "him", "his", "she", "her", "it", "its", "they", "them", "their", "what",
            "which", "who", "whom", "this", "that", "these", "those", "am", "is", "are", "was", "were", "be", "been",
            "being", "have", "has", "had", "do", "does", "did", "as", "until", "while", "into", "through", "during",
            "before", "after", "above", "below", "off", "further", "because", "between", "against");

    private static final Pattern WORD = Pattern.compile("\\S+");
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+");
    /** QWERTY neighbours of each lower-case letter. */
    private static final Map<Character, String> KEYBOARD = keyboard();
    /** Confusions of OCR engines on print, both ways. */
    private static final String[][] OCR = {
        {"rn", "m"}, {"m", "rn"}, {"cl", "d"}, {"d", "cl"}, {"l", "1"}, {"1", "l"}, {"O", "0"}, {"0", "O"},
        {"vv", "w"}, {"w", "vv"}, {"e", "c"}, {"c", "e"}, {"I", "l"}, {"S", "5"}, {"5", "S"}, {"B", "8"}
    };

    private final List<Op> ops;
    private final String maskToken;
    private final WordNet wordNet;

    public TextAugmenter(List<Op> ops, String maskToken) {
        this(ops, maskToken, null);
    }

    /** With a WordNet for the synonym ops ({@code null}: none; then those ops are refused). */
    public TextAugmenter(List<Op> ops, String maskToken, WordNet wordNet) {
        this.ops = List.copyOf(ops);
        this.maskToken = maskToken;
        this.wordNet = wordNet;
        for (Op op : ops) {
            if (NEED_WORDNET.contains(op.name()) && wordNet == null) {
                throw new IllegalArgumentException("op " + op.name() + " needs a WordNet database");
            }
        }
    }

    /** A seed for one copy of one document, from the run's seed, the document id and the copy number. */
    public static long seed(long seed, String id, int copy) {
        long h = seed * 0x9E3779B97F4A7C15L + copy;
        for (int i = 0; i < id.length(); i++) {
            h = mix(h ^ id.charAt(i));
        }
        return mix(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** One augmented copy of {@code text}: each op, in the configured order, applied with its probability. */
    public Result apply(String text, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> applied = new ArrayList<>();
        String out = text;
        for (Op op : ops) {
            if (random.nextDouble() >= op.probability()) {
                continue;
            }
            out = apply(op.name(), out, op.strength(), random);
            applied.add(op.name() + "(" + op.strength() + ")");
        }
        return new Result(out, applied);
    }

    /** A single op at a strength, for tests and for {@link #apply(String, long)}. */
    public String apply(String op, String text, double strength, SplittableRandom random) {
        return switch (op) {
            case "synonym" -> synonym(text, strength, random);
            case "synonym_insert" -> synonymInsert(text, strength, random);
            case "swap" -> swap(text, strength, random);
            case "delete" -> delete(text, strength, random);
            case "insert" -> insert(text, strength, random);
            case "typo" -> typo(text, strength, random);
            case "ocr" -> ocr(text, strength, random);
            case "case" -> flipCase(text, strength, random);
            case "whitespace" -> whitespace(text, strength, random);
            case "sentence_shuffle" -> sentenceShuffle(text, random);
            case "mask" -> mask(text, strength, random);
            default -> throw new IllegalArgumentException("unknown augment op " + op);
        };
    }

    /** The text as alternating separators and words: words at odd positions, separators (maybe empty) at even. */
    private static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        int at = 0;
        while (m.find()) {
            parts.add(text.substring(at, m.start()));
            parts.add(m.group());
            at = m.end();
        }
        parts.add(text.substring(at));
        return parts;
    }

    private static int words(List<String> parts) {
        return parts.size() / 2;
    }

    /** EDA's n = max(1, α · words) operations. */
    private static int count(int words, double strength) {
        return Math.max(1, (int) Math.round(strength * words));
    }

    /** Letters of a word without its surrounding punctuation, and where they start and end in it. */
    private static int[] core(String token) {
        int from = 0;
        int to = token.length();
        while (from < to && !Character.isLetter(token.charAt(from))) {
            from++;
        }
        while (to > from && !Character.isLetter(token.charAt(to - 1))) {
            to--;
        }
        return new int[] {from, to};
    }

    /** The synonyms of a token's letters when it is not a stop word, else none. */
    private List<String> synonymsOf(String token) {
        int[] c = core(token);
        String word = token.substring(c[0], c[1]);
        if (word.isEmpty() || STOP_WORDS.contains(word.toLowerCase(Locale.ROOT))) {
            return List.of();
        }
        return wordNet.synonyms(word);
    }

    /**
     * EDA's synonym replacement: up to n = max(1, α · words) distinct non-stop words with a WordNet synonym, in a
     * random order, each replaced by one of its synonyms (punctuation around it and an initial capital kept).
     */
    String synonym(String text, double strength, SplittableRandom random) {
        List<String> parts = split(text);
        int n = words(parts);
        if (n == 0) {
            return text;
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int left = count(n, strength);
        for (int k = 0; k < n && left > 0; k++) {
            int at = 2 * order[k] + 1;
            String token = parts.get(at);
            List<String> synonyms = synonymsOf(token);
            if (synonyms.isEmpty()) {
                continue;
            }
            int[] c = core(token);
            String pick = synonyms.get(random.nextInt(synonyms.size()));
            if (Character.isUpperCase(token.charAt(c[0]))) {
                pick = Character.toUpperCase(pick.charAt(0)) + pick.substring(1);
            }
            parts.set(at, token.substring(0, c[0]) + pick + token.substring(c[1]));
            left--;
        }
        return String.join("", parts);
    }

    /** EDA's random insertion: n = max(1, α · words) times a synonym of a random word put before a random word. */
    String synonymInsert(String text, double strength, SplittableRandom random) {
        return insertWords(text, strength, random, words -> {
            for (int tries = 0; tries < 10; tries++) { // EDA gives up after 10 words without synonyms
                List<String> synonyms = synonymsOf(words.get(random.nextInt(words.size())));
                if (!synonyms.isEmpty()) {
                    return synonyms.get(random.nextInt(synonyms.size()));
                }
            }
            return null;
        });
    }

    static String swap(String text, double strength, SplittableRandom random) {
        List<String> parts = split(text);
        int n = words(parts);
        if (n < 2) {
            return text;
        }
        for (int k = count(n, strength); k > 0; k--) {
            int i = 2 * random.nextInt(n) + 1;
            int j = 2 * random.nextInt(n) + 1;
            String w = parts.get(i);
            parts.set(i, parts.get(j));
            parts.set(j, w);
        }
        return String.join("", parts);
    }

    /** Each word deleted with probability α (EDA), never all of them; a deleted word takes its preceding gap. */
    static String delete(String text, double strength, SplittableRandom random) {
        List<String> parts = split(text);
        int n = words(parts);
        if (n < 2) {
            return text;
        }
        boolean[] gone = new boolean[n];
        int left = n;
        for (int w = 0; w < n; w++) {
            if (random.nextDouble() < strength && left > 1) {
                gone[w] = true;
                left--;
            }
        }
        StringBuilder b = new StringBuilder();
        for (int w = 0; w < n; w++) {
            String gap = parts.get(2 * w);
            if (!gone[w]) {
                b.append(b.length() == 0 && w > 0 ? "" : gap).append(parts.get(2 * w + 1));
            } else if (gap.contains("\n")) {
                b.append(gap.substring(gap.indexOf('\n'), gap.lastIndexOf('\n') + 1)); // line breaks stay
            }
        }
        return b.append(parts.get(parts.size() - 1)).toString();
    }

    /** EDA's n = α · words insertions, each a word of the document put before a random word. */
    static String insert(String text, double strength, SplittableRandom random) {
        return insertWords(text, strength, random, words -> words.get(random.nextInt(words.size())));
    }

    /**
     * n = max(1, α · words) times the word {@code next} chooses (null: stop) put before a random word, each gap
     * kept as it was and the inserted word followed by a space.
     */
    private static String insertWords(
            String text,
            double strength,
            SplittableRandom random,
            java.util.function.Function<List<String>, String> next) {
        List<String> parts = split(text);
        int n = words(parts);
        if (n == 0) {
            return text;
        }
        List<String> words = new ArrayList<>();
        List<String> gaps = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            (i % 2 == 0 ? gaps : words).add(parts.get(i));
        }
        for (int k = count(n, strength); k > 0; k--) {
            String word = next.apply(words);
            if (word == null) {
                break;
            }
            int at = random.nextInt(words.size());
            words.add(at, word);
            gaps.add(at + 1, " ");
        }
        StringBuilder b = new StringBuilder(text.length() + 16 * n);
        for (int w = 0; w < words.size(); w++) {
            b.append(gaps.get(w)).append(words.get(w));
        }
        return b.append(gaps.get(gaps.size() - 1)).toString();
    }

    static String typo(String text, double strength, SplittableRandom random) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String near = KEYBOARD.get(Character.toLowerCase(c));
            if (near != null && random.nextDouble() < strength) {
                char r = near.charAt(random.nextInt(near.length()));
                b.append(Character.isUpperCase(c) ? Character.toUpperCase(r) : r);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    static String ocr(String text, double strength, SplittableRandom random) {
        StringBuilder b = new StringBuilder(text.length());
        int i = 0;
        outer:
        while (i < text.length()) {
            for (String[] pair : OCR) {
                if (text.startsWith(pair[0], i) && random.nextDouble() < strength) {
                    b.append(pair[1]);
                    i += pair[0].length();
                    continue outer;
                }
            }
            b.append(text.charAt(i++));
        }
        return b.toString();
    }

    static String flipCase(String text, double strength, SplittableRandom random) {
        List<String> parts = split(text);
        for (int i = 1; i < parts.size(); i += 2) {
            if (random.nextDouble() < strength) {
                String w = parts.get(i);
                boolean upper = w.equals(w.toUpperCase(Locale.ROOT));
                parts.set(i, upper ? w.toLowerCase(Locale.ROOT) : w.toUpperCase(Locale.ROOT));
            }
        }
        return String.join("", parts);
    }

    /** Each space doubled or dropped with probability α (half each); line breaks are left alone. */
    static String whitespace(String text, double strength, SplittableRandom random) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' && random.nextDouble() < strength) {
                if (random.nextBoolean()) {
                    b.append("  ");
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Sentences shuffled within each paragraph (blank-line separated); paragraphs keep their order. */
    static String sentenceShuffle(String text, SplittableRandom random) {
        String[] paragraphs = text.split("(?<=\\n\\s{0,8}\\n)", -1);
        StringBuilder b = new StringBuilder(text.length());
        for (String p : paragraphs) {
            String body = p.stripTrailing();
            String tail = p.substring(body.length());
            List<String> sentences = new ArrayList<>(List.of(SENTENCE_END.split(body)));
            for (int i = sentences.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                String s = sentences.get(i);
                sentences.set(i, sentences.get(j));
                sentences.set(j, s);
            }
            b.append(String.join(" ", sentences)).append(tail);
        }
        return b.toString();
    }

    /** Spans of words (lengths 1–5) replaced by one mask token each, until about α of the words are covered. */
    String mask(String text, double strength, SplittableRandom random) {
        List<String> parts = split(text);
        int n = words(parts);
        if (n == 0) {
            return text;
        }
        boolean[] masked = new boolean[n];
        int target = count(n, strength);
        int covered = 0;
        for (int tries = 0; covered < target && tries < 4 * n; tries++) {
            int start = random.nextInt(n);
            int len = Math.min(1 + random.nextInt(5), target - covered);
            for (int w = start; w < Math.min(n, start + len); w++) {
                if (!masked[w]) {
                    masked[w] = true;
                    covered++;
                }
            }
        }
        StringBuilder b = new StringBuilder();
        for (int w = 0; w < n; w++) {
            if (masked[w] && w > 0 && masked[w - 1]) {
                continue; // one token for a whole span
            }
            b.append(parts.get(2 * w)).append(masked[w] ? maskToken : parts.get(2 * w + 1));
        }
        return b.append(parts.get(parts.size() - 1)).toString();
    }

    private static Map<Character, String> keyboard() {
        String[] rows = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};
        Map<Character, String> m = new java.util.HashMap<>();
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < rows[r].length(); c++) {
                StringBuilder near = new StringBuilder();
                for (int dr = -1; dr <= 1; dr++) {
                    int rr = r + dr;
                    if (rr < 0 || rr >= rows.length) {
                        continue;
                    }
                    for (int dc = -1; dc <= 1; dc++) {
                        int cc = c + dc;
                        if ((dr != 0 || dc != 0) && cc >= 0 && cc < rows[rr].length()) {
                            near.append(rows[rr].charAt(cc));
                        }
                    }
                }
                m.put(rows[r].charAt(c), near.toString());
            }
        }
        return Map.copyOf(m);
    }
}
