package dev.tokenmill.quality.filter;

import dev.tokenmill.quality.nltk.PyChars;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gopher repetition rules (Rae et al. 2021, App. A.1.1, Table A1), measured exactly as DataTrove's
 * {@code GopherRepetitionFilter} does, words being NLTK's {@code word_tokenize} tokens ({@link DocWords}) and every
 * length in code points (Python's {@code len}); a document is dropped when a fraction exceeds its limit:
 * <ul>
 *   <li>duplicate paragraphs (split on two or more newlines) by count 0.30 and by characters 0.20;</li>
 *   <li>duplicate lines (split on newlines) by count 0.30 and by characters 0.20;</li>
 *   <li>top 2/3/4-gram: characters of the most frequent n-gram (words joined by spaces) × its count / text
 *       length 0.20 / 0.18 / 0.16;</li>
 *   <li>duplicated 5…10-grams: characters of every repeated n-gram occurrence (words joined without spaces,
 *       scanned without overlap: after a hit the scan jumps n words) / text length 0.15 … 0.10.</li>
 * </ul>
 * "Duplicate" counts every occurrence after the first. N-grams are compared by 64-bit hashes, not strings.
 */
public final class GopherRepetitionFilter implements TextFilter {
    public static final String NAME = "gopher_repetition";
    private static final int[] TOP_N = {2, 3, 4};
    private static final int[] DUP_N = {5, 6, 7, 8, 9, 10};

    public static Map<String, Double> defaults() {
        Map<String, Double> d = new LinkedHashMap<>();
        d.put("dup_line_frac", 0.30);
        d.put("dup_para_frac", 0.30);
        d.put("dup_line_char_frac", 0.20);
        d.put("dup_para_char_frac", 0.20);
        d.put("top_2_gram_frac", 0.20);
        d.put("top_3_gram_frac", 0.18);
        d.put("top_4_gram_frac", 0.16);
        d.put("dup_5_gram_frac", 0.15);
        d.put("dup_6_gram_frac", 0.14);
        d.put("dup_7_gram_frac", 0.13);
        d.put("dup_8_gram_frac", 0.12);
        d.put("dup_9_gram_frac", 0.11);
        d.put("dup_10_gram_frac", 0.10);
        return d;
    }

    private final Thresholds t;
    private DocWords words;
    private final LongCounter counter = new LongCounter();
    private long[] grams = new long[1024];
    /** Positions, ascending, whose current n-gram may still repeat (see {@link #startGrams}). */
    private int[] candidates = new int[1024];

    private int candidateCount;
    private boolean[] repeatedScratch = new boolean[1024];
    private final List<String> signals;

    public GopherRepetitionFilter(Map<String, ?> overrides) {
        this.t = new Thresholds(NAME, defaults(), overrides);
        List<String> s = new ArrayList<>(
                List.of("rep_dup_para_frac", "rep_dup_para_char_frac", "rep_dup_line_frac", "rep_dup_line_char_frac"));
        for (int n : TOP_N) {
            s.add("rep_top_" + n + "_gram_frac");
        }
        for (int n : DUP_N) {
            s.add("rep_dup_" + n + "_gram_frac");
        }
        this.signals = List.copyOf(s);
    }

    @Override
    public Thresholds thresholds() {
        return t;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> signals() {
        return signals;
    }

    @Override
    public Outcome evaluate(String text, double[] out, int o) {
        double len = Math.max(1, text.codePointCount(0, text.length())); // Python's len(text)
        words = DocWords.of(text);
        char[] a = DocWords.charsOf(text);
        int stripFrom = 0;
        int stripTo = text.length();
        while (stripFrom < stripTo && PyChars.isSpace(a[stripFrom])) {
            stripFrom++;
        }
        while (stripTo > stripFrom && PyChars.isSpace(a[stripTo - 1])) {
            stripTo--;
        }
        // paragraphs: DataTrove splits text.strip() on \n{2,}
        long[] para = duplicates(text, a, stripFrom, stripTo, true);
        long[] line = duplicates(text, a, 0, text.length(), false);
        out[o] = para[2] == 0 ? 0 : (double) para[0] / para[2];
        out[o + 1] = para[1] / len;
        out[o + 2] = line[2] == 0 ? 0 : (double) line[0] / line[2];
        out[o + 3] = line[1] / len;
        int k = o + 4;
        startGrams();
        for (int n = 2; n <= 4; n++) {
            extendGrams(n);
            out[k++] = topNgramChars(n) / len;
        }
        concatHashes();
        for (int n = 5; n <= 10; n++) {
            out[k++] = duplicatedNgramChars(n) / len;
        }

        String[] rules = {"dup_para_frac", "dup_para_char_frac", "dup_line_frac", "dup_line_char_frac"}; // signal order
        for (int i = 0; i < rules.length; i++) {
            if (out[o + i] > t.get(rules[i])) {
                return Outcome.drop(text, "rep_" + rules[i], out[o + i], t.get(rules[i]));
            }
        }
        k = o + 4;
        for (int n : TOP_N) {
            String key = "top_" + n + "_gram_frac";
            if (out[k] > t.get(key)) {
                return Outcome.drop(text, "rep_" + key, out[k], t.get(key));
            }
            k++;
        }
        for (int n : DUP_N) {
            String key = "dup_" + n + "_gram_frac";
            if (out[k] > t.get(key)) {
                return Outcome.drop(text, "rep_" + key, out[k], t.get(key));
            }
            k++;
        }
        return Outcome.keep(text);
    }

    /**
     * {duplicate count, duplicate characters, element count} over paragraphs (split on \n{2,}) or lines
     * (split on \n+, as DataTrove's re.split(r"\n+") — empty lines are not elements except at the ends).
     */
    private long[] duplicates(String text, char[] a, int from, int to, boolean paragraphs) {
        counter.clear((to - from) / 64);
        long dups = 0;
        long dupChars = 0;
        long elements = 0;
        int i = from;
        int start = from;
        while (i <= to) {
            if (i == to || a[i] == '\n') {
                int sepEnd = i;
                while (sepEnd < to && a[sepEnd] == '\n') {
                    sepEnd++;
                }
                boolean separator = i == to || !paragraphs || sepEnd - i >= 2;
                if (separator) {
                    elements++;
                    long h = Words.hash(a, start, i);
                    if (!counter.add(h)) {
                        dups++;
                        dupChars += Character.codePointCount(a, start, i - start);
                    }
                    start = sepEnd;
                }
                i = sepEnd == i ? i + 1 : sepEnd;
            } else {
                int lineEnd = text.indexOf('\n', i); // vectorised search over the String's bytes
                i = lineEnd < 0 || lineEnd > to ? to : lineEnd;
            }
        }
        return new long[] {dups, dupChars, elements};
    }

    /**
     * Starts the n-gram pass: every word's hash, and every position a candidate. N-gram sizes then go up one at a
     * time, each considering only the candidates (positions whose (n-1)-gram occurs more than once): an n-gram
     * that occurs more than once starts with an (n-1)-gram that does, so the other positions cannot change a top
     * count above one nor be a duplicate. In prose few positions survive past n = 3.
     */
    private void startGrams() {
        int count = words.count();
        if (grams.length < count) {
            grams = new long[Math.max(count, grams.length * 2)];
            candidates = new int[grams.length];
            repeatedScratch = new boolean[grams.length];
        }
        for (int i = 0; i < count; i++) {
            grams[i] = words.hash(i);
            candidates[i] = i;
        }
        candidateCount = count;
    }

    /** Extends the candidates' (n-1)-gram hashes by one word, dropping candidates with no n-gram left. */
    private void extendGrams(int n) {
        int limit = words.count() - n;
        int kept = 0;
        for (int j = 0; j < candidateCount; j++) {
            int i = candidates[j];
            if (i > limit) {
                break; // candidates are in ascending order
            }
            grams[i] = Words.mix(grams[i] * 0x9E3779B97F4A7C15L + words.hash(i + n - 1));
            kept++;
        }
        candidateCount = kept;
    }

    /**
     * Counts the candidates' n-grams and keeps as candidates those that occur more than once. Returns the top
     * n-gram among them as count &lt;&lt; 32 | first position (count 0 when there was no candidate).
     */
    private long countCandidates(int n) {
        counter.clear(candidateCount);
        int bestCount = 0;
        int bestFirst = 0;
        boolean[] repeated = repeatedScratch;
        for (int j = 0; j < candidateCount; j++) {
            int i = candidates[j];
            int c = counter.increment(grams[i], i);
            int first = counter.lastFirst();
            if (c > 1) {
                repeated[first] = true;
                repeated[i] = true;
            }
            if (c > bestCount || (c == bestCount && first < bestFirst)) {
                bestCount = c;
                bestFirst = first;
            }
        }
        int kept = 0;
        for (int j = 0; j < candidateCount; j++) {
            int i = candidates[j];
            if (repeated[i]) {
                candidates[kept++] = i;
                repeated[i] = false;
            }
        }
        candidateCount = kept;
        return (long) bestCount << 32 | bestFirst;
    }

    /**
     * Characters of the most frequent n-gram (joined by spaces) times its count. Among equally frequent n-grams
     * the one seen first wins, as Python's Counter.most_common(1) picks: when none occurs twice, the first n-gram.
     */
    private double topNgramChars(int n) {
        int count = words.count();
        if (count < n) {
            return 0;
        }
        long best = countCandidates(n);
        int bestCount = (int) (best >>> 32);
        int bestFirst = (int) best;
        if (bestCount <= 1) {
            bestCount = 1;
            bestFirst = 0;
        }
        int chars = n - 1;
        for (int j = 0; j < n; j++) {
            chars += words.length(bestFirst + j);
        }
        return (double) chars * bestCount;
    }

    /** The Mersenne prime 2^61 - 1: polynomial hashing modulo it has no weak inputs the way modulo 2^64 has. */
    private static final long M = (1L << 61) - 1;

    private static final long BASE = 0x1F3D_5B79_A3C1_27L % M;
    /** Chars of the joined n-gram's prefix whose repetition is checked before an n-gram is hashed. */
    private static final int PREFIX = 16;

    private long[] prefixHash = new long[4096];
    private long[] power = new long[4096];
    private boolean[] prefixRepeats = new boolean[1024];

    /**
     * DataTrove joins a duplicated n-gram's words without spaces ({@code "".join}), so different word sequences with
     * the same characters ("ab" "c", "a" "bc") are the same n-gram. N-grams are compared by a polynomial hash of the
     * joined characters, taken in O(1) from prefix hashes over all tokens' characters one after another.
     */
    private void concatHashes() {
        int count = words.count();
        char[] c = words.tokenChars();
        int total = count == 0 ? 0 : words.charEnd(count - 1);
        if (prefixHash.length < total + 1) {
            prefixHash = new long[Math.max(total + 1, prefixHash.length * 2)];
            power = new long[prefixHash.length];
        }
        prefixHash[0] = 0;
        power[0] = 1;
        for (int i = 0; i < total; i++) {
            prefixHash[i + 1] = addMod(mulMod(prefixHash[i], BASE), c[i] + 1L);
            power[i + 1] = mulMod(power[i], BASE);
        }
        // an n-gram that occurs twice starts with the same PREFIX characters twice (or is shorter than that)
        if (prefixRepeats.length < count) {
            prefixRepeats = new boolean[Math.max(count, prefixRepeats.length * 2)];
        }
        java.util.Arrays.fill(prefixRepeats, 0, count, false);
        counter.clear(count);
        for (int i = 0; i < count; i++) {
            int from = words.charStart(i);
            int c2 = counter.increment(joinedHash(from, Math.min(from + PREFIX, total)), i);
            if (c2 > 1) {
                prefixRepeats[counter.lastFirst()] = true;
                prefixRepeats[i] = true;
            }
        }
    }

    private long joinedHash(int from, int to) {
        long h = prefixHash[to] - mulMod(prefixHash[from], power[to - from]);
        if (h < 0) {
            h += M;
        }
        return Words.mix(h * 0x9E3779B97F4A7C15L + (to - from));
    }

    private static long addMod(long a, long b) {
        long r = a + b;
        return r >= M ? r - M : r;
    }

    /** a * b mod 2^61 - 1, for a, b below 2^61: 2^64 is 8 modulo M. */
    static long mulMod(long a, long b) {
        long lo = a * b;
        long hi = Math.multiplyHigh(a, b);
        long r = (lo & M) + (lo >>> 61) + (hi << 3);
        r = (r & M) + (r >>> 61);
        return r >= M ? r - M : r;
    }

    /**
     * Code points of n-gram occurrences (words joined without spaces) already seen, scanning as DataTrove's
     * {@code find_all_duplicate} does: left to right, and after a hit the scan resumes n words later. A position whose
     * first {@link #PREFIX} joined characters occur nowhere else starts an n-gram that occurs nowhere else: it is
     * stepped over without hashing (adding it to the seen set could not change a later answer).
     */
    private double duplicatedNgramChars(int n) {
        int count = words.count();
        counter.clear(count / 4);
        long repeated = 0;
        for (int i = 0; i + n <= count; ) {
            int from = words.charStart(i);
            int to = words.charEnd(i + n - 1);
            if (!prefixRepeats[i] && to - from >= PREFIX) {
                i++;
                continue;
            }
            if (!counter.add(joinedHash(from, to))) {
                for (int w = 0; w < n; w++) {
                    repeated += words.length(i + w);
                }
                i += n;
            } else {
                i++;
            }
        }
        return repeated;
    }
}
