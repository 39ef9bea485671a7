package dev.tokenmill.tokenizer.unigram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Trains a Unigram model the way SentencePiece does (Kudo 2018): seed pieces from frequent substrings (suffix
 * array), EM over each word's lattice (forward–backward expected counts, a digamma M-step that drops pieces
 * expected less than 0.5 times), then prune: a piece's loss is how much the corpus likelihood drops when its
 * Viterbi uses go to its best alternative segmentation; keep the top {@code shrinking_factor} share and repeat
 * until 1.1 × the target, then keep the best by score with every required character in.
 * Input is word counts ({@code ▁}-prefixed normalised words); E-steps and the Viterbi passes run on
 * {@code threads} threads with per-thread accumulators.
 */
public final class UnigramTrainer {
    private static final double EXPECTED_FREQUENCY_THRESHOLD = 0.5;
    private static final double UNK_PENALTY = 10.0;
    /**
     * Final scores are multiples of 1/128. SentencePiece's encoder keeps path scores in floats and HF's in doubles,
     * so on an exact tie (two segmentations of equal total, e.g. "0|00" and "00|0") their float rounding decides
     * differently; with scores on this grid every path sum below 2^17 is exact in a float, so SentencePiece, HF and
     * we all see the same ties and break them the same way (earliest start). 1/128 in log-probability is far
     * below anything training can resolve.
     */
    static final double SCORE_QUANTUM = 1.0 / 128;

    public record Options(
            int vocabSize,
            double characterCoverage,
            int maxPieceLength,
            int seedSize,
            double shrinkingFactor,
            int subIterations,
            boolean byteFallback,
            List<String> specialTokens,
            SpmNormalizer normalizer,
            int threads) {
        public static Options defaults(int vocabSize) {
            return new Options(
                    vocabSize,
                    0.9995,
                    16,
                    1_000_000,
                    0.75,
                    2,
                    true,
                    List.of(),
                    SpmNormalizer.of("nfkc", true, true),
                    Runtime.getRuntime().availableProcessors());
        }

        public Options withCharacterCoverage(double c) {
            return new Options(
                    vocabSize,
                    c,
                    maxPieceLength,
                    seedSize,
                    shrinkingFactor,
                    subIterations,
                    byteFallback,
                    specialTokens,
                    normalizer,
                    threads);
        }

        public Options withByteFallback(boolean b) {
            return new Options(
                    vocabSize,
                    characterCoverage,
                    maxPieceLength,
                    seedSize,
                    shrinkingFactor,
                    subIterations,
                    b,
                    specialTokens,
                    normalizer,
                    threads);
        }

        public Options withSpecialTokens(List<String> s) {
            return new Options(
                    vocabSize,
                    characterCoverage,
                    maxPieceLength,
                    seedSize,
                    shrinkingFactor,
                    subIterations,
                    byteFallback,
                    List.copyOf(s),
                    normalizer,
                    threads);
        }

        public Options withNormalizer(SpmNormalizer n) {
            return new Options(
                    vocabSize,
                    characterCoverage,
                    maxPieceLength,
                    seedSize,
                    shrinkingFactor,
                    subIterations,
                    byteFallback,
                    specialTokens,
                    n,
                    threads);
        }

        public Options withThreads(int t) {
            return new Options(
                    vocabSize,
                    characterCoverage,
                    maxPieceLength,
                    seedSize,
                    shrinkingFactor,
                    subIterations,
                    byteFallback,
                    specialTokens,
                    normalizer,
                    t);
        }

        public Options withMaxPieceLength(int m) {
            return new Options(
                    vocabSize,
                    characterCoverage,
                    m,
                    seedSize,
                    shrinkingFactor,
                    subIterations,
                    byteFallback,
                    specialTokens,
                    normalizer,
                    threads);
        }

        /** Fails on settings no training can satisfy, before any counting is done. */
        public void validate() {
            if (!(characterCoverage > 0 && characterCoverage <= 1)) {
                throw new IllegalArgumentException("character_coverage must be in (0, 1], got " + characterCoverage);
            }
            for (String special : specialTokens) {
                if (List.of("<unk>", "<s>", "</s>").contains(special)) {
                    throw new IllegalArgumentException(
                            "special token " + special + " is one of the meta pieces every Unigram "
                                    + "model has already (<unk>, <s>, </s>): leave it out");
                }
            }
            if (specialTokens.size() != new java.util.HashSet<>(specialTokens).size()) {
                throw new IllegalArgumentException("special tokens must be distinct, got " + specialTokens);
            }
            if (vocabSize <= metaPieces()) {
                throw new IllegalArgumentException("vocab_size " + vocabSize + " leaves no room next to " + metaPieces()
                        + " meta pieces (<unk>, <s>, </s>, special tokens, 256 bytes with byte_fallback)");
            }
        }

        int metaPieces() {
            return 3 + specialTokens.size() + (byteFallback ? 256 : 0);
        }
    }

    private final Options options;
    private final Consumer<String> log;
    private final String[] words;
    private final long[] counts;
    private final ExecutorService pool;

    private UnigramTrainer(Map<String, Long> wordCounts, Options options, Consumer<String> log) {
        this.options = options;
        this.log = log;
        this.words = wordCounts.keySet().toArray(String[]::new);
        Arrays.sort(words);
        this.counts = new long[words.length];
        for (int i = 0; i < words.length; i++) {
            counts[i] = wordCounts.get(words[i]);
        }
        this.pool = Executors.newFixedThreadPool(Math.max(1, options.threads()));
    }

    /** Trains on word counts as produced by {@link #countWords}. */
    public static UnigramModel train(Map<String, Long> wordCounts, Options options, Consumer<String> log) {
        options.validate();
        UnigramTrainer t = new UnigramTrainer(wordCounts, options, log);
        try {
            return t.run();
        } finally {
            t.pool.shutdownNow();
        }
    }

    /** Splits normalised text into words: each starts at a {@code ▁} (or the text start). */
    public static void splitWords(String normalized, Consumer<String> out) {
        int start = 0;
        for (int i = 1; i <= normalized.length(); i++) {
            if (i == normalized.length() || normalized.charAt(i) == SpmNormalizer.SPACE) {
                if (i > start) {
                    out.accept(normalized.substring(start, i));
                }
                start = i;
            }
        }
    }

    /** Counts the words of a block of text, one sentence per line (SentencePiece's unit for the dummy prefix). */
    public static Map<String, Long> countWords(String block, SpmNormalizer normalizer) {
        Map<String, long[]> raw = new HashMap<>();
        int from = 0;
        while (from <= block.length()) {
            int nl = block.indexOf('\n', from);
            int to = nl < 0 ? block.length() : nl;
            if (to > from) {
                splitWords(
                        normalizer.normalize(block.substring(from, to)),
                        w -> raw.computeIfAbsent(w, k -> new long[1])[0]++);
            }
            if (nl < 0) {
                break;
            }
            from = nl + 1;
        }
        Map<String, Long> out = new HashMap<>(raw.size() * 2);
        raw.forEach((w, c) -> out.put(w, c[0]));
        return out;
    }

    private UnigramModel run() {
        long t0 = System.nanoTime();
        Map<Integer, Long> chars = requiredChars();
        List<String> pieces = new ArrayList<>();
        List<Double> seedScores = new ArrayList<>();
        chars.forEach((cp, freq) -> {
            pieces.add(new String(Character.toChars(cp)));
            seedScores.add((double) freq);
        });
        List<int[]> cps = new ArrayList<>(words.length);
        for (String w : words) {
            cps.add(w.codePoints().toArray());
        }
        int limit = Math.max(0, options.seedSize() - pieces.size());
        for (SeedPieces.Seed s : SeedPieces.find(
                cps, counts, options.maxPieceLength(), limit, (text, start, len) -> valid(text, start, len, chars))) {
            pieces.add(s.piece());
            seedScores.add((double) s.score());
        }
        cps = null;
        double sum = seedScores.stream().mapToDouble(Double::doubleValue).sum();
        double[] scores = new double[pieces.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = Math.log(seedScores.get(i)) - Math.log(sum);
        }
        State state = new State(pieces.toArray(String[]::new), scores);
        log.accept(String.format(
                "unigram: %,d words, %,d required chars, %,d seed pieces (%.1f s)",
                words.length, chars.size(), state.pieces.length, (System.nanoTime() - t0) / 1e9));
        int target = options.vocabSize() - options.metaPieces();
        if (chars.size() > target) {
            throw new IllegalArgumentException("vocab_size " + options.vocabSize() + " is too small: the corpus needs "
                    + chars.size() + " characters (character_coverage " + options.characterCoverage() + ") next to "
                    + options.metaPieces() + " meta pieces");
        }
        int desired = (int) (target * 1.1);
        for (int round = 1; ; round++) {
            for (int iter = 0; iter < options.subIterations(); iter++) {
                double[] objective = new double[1];
                double[] expected = eStep(state, objective);
                state = mStep(state, expected);
                log.accept(String.format(
                        "unigram: round %d EM %d: %,d pieces, objective %.4f (%.1f s)",
                        round, iter + 1, state.pieces.length, objective[0], (System.nanoTime() - t0) / 1e9));
            }
            if (state.pieces.length <= desired) {
                break;
            }
            int before = state.pieces.length;
            state = prune(state, desired);
            if (state.pieces.length == before) {
                break; // nothing left that can go
            }
        }
        return finish(state, chars, target);
    }

    /** Characters by corpus frequency until {@code character_coverage} of all characters is covered. */
    private Map<Integer, Long> requiredChars() {
        Map<Integer, long[]> freq = new HashMap<>();
        long total = 0;
        for (int i = 0; i < words.length; i++) {
            long c = counts[i];
            String w = words[i];
            for (int k = 0; k < w.length(); ) {
                int cp = w.codePointAt(k);
                freq.computeIfAbsent(cp, x -> new long[1])[0] += c;
                total += c;
                k += Character.charCount(cp);
            }
        }
        List<Map.Entry<Integer, long[]>> sorted = new ArrayList<>(freq.entrySet());
        sorted.sort((a, b) -> a.getValue()[0] != b.getValue()[0]
                ? Long.compare(b.getValue()[0], a.getValue()[0])
                : Integer.compare(a.getKey(), b.getKey()));
        Map<Integer, Long> out = new LinkedHashMap<>();
        double threshold = total * options.characterCoverage();
        long accumulated = 0;
        for (Map.Entry<Integer, long[]> e : sorted) {
            if (accumulated >= threshold && options.characterCoverage() < 1.0) {
                break;
            }
            accumulated += e.getValue()[0];
            out.put(e.getKey(), e.getValue()[0]);
        }
        return out;
    }

    /**
     * SentencePiece's piece rules: {@code ▁} only first, no whitespace or control character in a longer piece,
     * every char covered, one Unicode script per piece (Hiragana/Katakana count as Han, combining marks join
     * any), digits never mixed with non-digits.
     */
    private static boolean valid(int[] text, int start, int len, Map<Integer, Long> required) {
        int prevClass = Integer.MIN_VALUE;
        for (int i = 0; i < len; i++) {
            int cp = text[start + i];
            if (cp < 0 || !required.containsKey(cp)) {
                return false;
            }
            if (cp == SpmNormalizer.SPACE) {
                if (i > 0) {
                    return false;
                }
                continue;
            }
            if (Character.isWhitespace(cp) || Character.getType(cp) == Character.CONTROL) {
                return false;
            }
            int cls = charClass(cp);
            if (cls == Character.UnicodeScript.INHERITED.ordinal()) {
                continue;
            }
            if (prevClass != Integer.MIN_VALUE && cls != prevClass) {
                return false;
            }
            prevClass = cls;
        }
        return true;
    }

    private static int charClass(int cp) {
        if (Character.isDigit(cp)) {
            return -1;
        }
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        if (s == Character.UnicodeScript.HIRAGANA || s == Character.UnicodeScript.KATAKANA || cp == 0x30FC) {
            s = Character.UnicodeScript.HAN;
        }
        return s.ordinal();
    }

    /** The pieces being trained, their log-probabilities and a trie over them. */
    private static final class State {
        final String[] pieces;
        final double[] scores;
        final PieceTrie trie;
        final double unkScore;

        State(String[] pieces, double[] scores) {
            this.pieces = pieces;
            this.scores = scores;
            this.trie = new PieceTrie(pieces, null);
            double min = Double.MAX_VALUE;
            for (double s : scores) {
                min = Math.min(min, s);
            }
            this.unkScore = (scores.length == 0 ? 0 : min) - UNK_PENALTY;
        }
    }

    /** One word's lattice: nodes in start order; id -1 = unknown char. Reused per thread. */
    private static final class Lattice {
        int[] start = new int[256];
        int[] end = new int[256];
        int[] id = new int[256];
        double[] score = new double[256];
        int size;

        void build(String w, State st) {
            size = 0;
            int n = w.length();
            for (int s = 0; s < n; ) {
                int charLen = Character.isHighSurrogate(w.charAt(s)) && s + 1 < n ? 2 : 1;
                boolean single = false;
                int node = 0;
                for (int e = s; e < n; e++) {
                    node = st.trie.child(node, w.charAt(e));
                    if (node < 0) {
                        break;
                    }
                    int p = st.trie.pieceAt(node);
                    if (p >= 0) {
                        add(s, e + 1, p, st.scores[p]);
                        single |= e + 1 - s == charLen;
                    }
                }
                if (!single) {
                    add(s, s + charLen, -1, st.unkScore);
                }
                s += charLen;
            }
        }

        private void add(int s, int e, int p, double sc) {
            if (size == start.length) {
                start = Arrays.copyOf(start, size * 2);
                end = Arrays.copyOf(end, size * 2);
                id = Arrays.copyOf(id, size * 2);
                score = Arrays.copyOf(score, size * 2);
            }
            start[size] = s;
            end[size] = e;
            id[size] = p;
            score[size] = sc;
            size++;
        }
    }

    private static double logAdd(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        double hi = Math.max(a, b);
        return hi + Math.log1p(Math.exp(-Math.abs(a - b)));
    }

    /** Runs {@code work(from, to, accumulator)} over word ranges on the pool; returns the summed accumulators. */
    private double[] parallel(int width, WordRangeWork work) {
        int threads = Math.max(1, options.threads());
        int chunk = (words.length + threads - 1) / threads;
        List<Future<double[]>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int from = Math.min(words.length, t * chunk);
            int to = Math.min(words.length, from + chunk);
            parts.add(pool.submit(() -> {
                double[] acc = new double[width];
                work.run(from, to, acc);
                return acc;
            }));
        }
        double[] total = new double[width];
        try {
            for (Future<double[]> f : parts) {
                double[] acc = f.get();
                for (int i = 0; i < width; i++) {
                    total[i] += acc[i];
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("unigram training failed: " + e.getCause(), e.getCause());
        }
        return total;
    }

    @FunctionalInterface
    private interface WordRangeWork {
        void run(int from, int to, double[] acc);
    }

    /** Expected piece counts (forward–backward per word, weighted by its count); slot [n] holds the objective. */
    private double[] eStep(State st, double[] objective) {
        int n = st.pieces.length;
        double[] acc = parallel(n + 1, (from, to, out) -> {
            Lattice lat = new Lattice();
            double[] alpha = new double[64];
            double[] beta = new double[64];
            for (int w = from; w < to; w++) {
                String word = words[w];
                int len = word.length();
                if (alpha.length <= len) {
                    alpha = new double[len * 2 + 1];
                    beta = new double[len * 2 + 1];
                }
                lat.build(word, st);
                Arrays.fill(alpha, 0, len + 1, Double.NEGATIVE_INFINITY);
                Arrays.fill(beta, 0, len + 1, Double.NEGATIVE_INFINITY);
                alpha[0] = 0;
                beta[len] = 0;
                for (int k = 0; k < lat.size; k++) {
                    alpha[lat.end[k]] = logAdd(alpha[lat.end[k]], alpha[lat.start[k]] + lat.score[k]);
                }
                for (int k = lat.size - 1; k >= 0; k--) {
                    beta[lat.start[k]] = logAdd(beta[lat.start[k]], lat.score[k] + beta[lat.end[k]]);
                }
                double z = alpha[len];
                double freq = counts[w];
                for (int k = 0; k < lat.size; k++) {
                    if (lat.id[k] >= 0) {
                        out[lat.id[k]] += freq * Math.exp(alpha[lat.start[k]] + lat.score[k] + beta[lat.end[k]] - z);
                    }
                }
                out[n] -= freq * z;
            }
        });
        long total = Arrays.stream(counts).sum();
        objective[0] = acc[n] / total;
        return acc;
    }

    /** Drops pieces expected under 0.5 times; new score = ψ(count) − ψ(total) (the Bayesian M-step). */
    private State mStep(State st, double[] expected) {
        List<String> kept = new ArrayList<>();
        List<Double> freq = new ArrayList<>();
        double sum = 0;
        for (int i = 0; i < st.pieces.length; i++) {
            if (expected[i] < EXPECTED_FREQUENCY_THRESHOLD) {
                continue;
            }
            kept.add(st.pieces[i]);
            freq.add(expected[i]);
            sum += expected[i];
        }
        double logSum = digamma(sum);
        double[] scores = new double[kept.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = digamma(freq.get(i)) - logSum;
        }
        return new State(kept.toArray(String[]::new), scores);
    }

    /** ψ(x) by recurrence up to 7, then the asymptotic series. */
    static double digamma(double x) {
        double result = 0;
        for (; x < 7; x++) {
            result -= 1 / x;
        }
        x -= 0.5;
        double xx = 1 / x;
        double xx2 = xx * xx;
        double xx4 = xx2 * xx2;
        return result + Math.log(x) + xx2 / 24 - 7 * xx4 / 960 + 31 * xx4 * xx2 / 8064 - 127 * xx4 * xx4 / 30720;
    }

    /** Viterbi over the lattice; {@code skipId} is left out. Returns node indices of the best path or null. */
    private static int[] viterbi(Lattice lat, int len, int skipId, double[] best, int[] back) {
        Arrays.fill(best, 0, len + 1, Double.NEGATIVE_INFINITY);
        Arrays.fill(back, 0, len + 1, -1);
        best[0] = 0;
        for (int k = 0; k < lat.size; k++) {
            if (lat.id[k] == skipId && skipId >= 0 || best[lat.start[k]] == Double.NEGATIVE_INFINITY) {
                continue;
            }
            double c = best[lat.start[k]] + lat.score[k];
            if (back[lat.end[k]] < 0 || c > best[lat.end[k]]) {
                best[lat.end[k]] = c;
                back[lat.end[k]] = k;
            }
        }
        if (back[len] < 0) {
            return null;
        }
        int count = 0;
        for (int at = len; at > 0; at = lat.start[back[at]]) {
            count++;
        }
        int[] path = new int[count];
        for (int at = len, i = count - 1; at > 0; at = lat.start[back[at]], i--) {
            path[i] = back[at];
        }
        return path;
    }

    private State prune(State st, int desired) {
        int n = st.pieces.length;
        boolean[] alwaysKeep = new boolean[n];
        int[][] alternatives = new int[n][];
        Lattice lat = new Lattice();
        double[] best = new double[64];
        int[] back = new int[64];
        for (int i = 0; i < n; i++) {
            String p = st.pieces[i];
            int len = p.length();
            if (best.length <= len) {
                best = new double[len * 2 + 1];
                back = new int[len * 2 + 1];
            }
            lat.build(p, st);
            int[] other = viterbi(lat, len, i, best, back);
            if (other == null) {
                alwaysKeep[i] = true; // nothing else spells it
                alternatives[i] = new int[0];
                continue;
            }
            double otherScore = best[len];
            if (st.scores[i] < otherScore) {
                alwaysKeep[i] = false; // Viterbi never picks it, not even for itself
                continue;
            }
            alwaysKeep[i] = true;
            int[] alt = new int[other.length];
            boolean unknown = false;
            for (int k = 0; k < other.length; k++) {
                alt[k] = lat.id[other[k]];
                unknown |= alt[k] < 0;
            }
            alternatives[i] = unknown ? new int[0] : alt;
        }
        double[] freq = parallel(n, (from, to, out) -> {
            Lattice l = new Lattice();
            double[] b = new double[64];
            int[] bk = new int[64];
            for (int w = from; w < to; w++) {
                String word = words[w];
                if (b.length <= word.length()) {
                    b = new double[word.length() * 2 + 1];
                    bk = new int[word.length() * 2 + 1];
                }
                l.build(word, st);
                int[] path = viterbi(l, word.length(), -1, b, bk);
                for (int k : path) {
                    if (l.id[k] >= 0) {
                        out[l.id[k]] += counts[w];
                    }
                }
            }
        });
        double sum = 0;
        for (double f : freq) {
            sum += f;
        }
        double logSum = Math.log(sum);
        List<Integer> keep = new ArrayList<>();
        List<double[]> candidates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (freq[i] == 0 || !alwaysKeep[i]) {
                continue;
            }
            if (alternatives[i].length == 0) {
                keep.add(i);
                continue;
            }
            double share = freq[i] / sum;
            double logProb = Math.log(freq[i]) - logSum;
            double logSumAlt = Math.log(sum + freq[i] * (alternatives[i].length - 1));
            double logProbAlt = 0;
            for (int a : alternatives[i]) {
                logProbAlt += Math.log(freq[a] + freq[i]) - logSumAlt;
            }
            candidates.add(new double[] {i, share * (logProb - logProbAlt)});
        }
        candidates.sort((a, b) -> a[1] != b[1] ? Double.compare(b[1], a[1]) : Double.compare(a[0], b[0]));
        int size = Math.max(desired, (int) (options.shrinkingFactor() * n));
        for (double[] c : candidates) {
            if (keep.size() >= size) {
                break;
            }
            keep.add((int) c[0]);
        }
        keep.sort(Integer::compare);
        String[] pieces = new String[keep.size()];
        double[] scores = new double[keep.size()];
        for (int k = 0; k < pieces.length; k++) {
            pieces[k] = st.pieces[keep.get(k)];
            scores[k] = st.scores[keep.get(k)];
        }
        log.accept(String.format("unigram: pruned %,d → %,d pieces", n, pieces.length));
        return new State(pieces, scores);
    }

    /** Required characters first, then the best pieces by score up to the target; ordered by score. */
    private UnigramModel finish(State st, Map<Integer, Long> chars, int target) {
        Map<String, Double> finalPieces = new LinkedHashMap<>();
        Map<String, Double> current = new HashMap<>();
        double min = 0;
        for (int i = 0; i < st.pieces.length; i++) {
            current.put(st.pieces[i], st.scores[i]);
            min = Math.min(min, st.scores[i]);
        }
        double penalty = 0;
        for (int cp : chars.keySet()) {
            if (finalPieces.size() >= target) {
                break;
            }
            String c = new String(Character.toChars(cp));
            Double s = current.get(c);
            if (s == null) {
                s = min - penalty;
                penalty += SCORE_QUANTUM;
            }
            finalPieces.put(c, s);
        }
        Integer[] order = new Integer[st.pieces.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order,
                (a, b) -> st.scores[a] != st.scores[b]
                        ? Double.compare(st.scores[b], st.scores[a])
                        : st.pieces[a].compareTo(st.pieces[b]));
        for (int i : order) {
            if (finalPieces.size() >= target) {
                break;
            }
            finalPieces.putIfAbsent(st.pieces[i], st.scores[i]);
        }
        List<Map.Entry<String, Double>> sorted = new ArrayList<>(finalPieces.entrySet());
        sorted.sort((a, b) -> !a.getValue().equals(b.getValue())
                ? Double.compare(b.getValue(), a.getValue())
                : a.getKey().compareTo(b.getKey()));
        List<String> pieces = new ArrayList<>();
        List<UnigramModel.Type> types = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        pieces.add("<unk>");
        types.add(UnigramModel.Type.UNKNOWN);
        pieces.add("<s>");
        types.add(UnigramModel.Type.CONTROL);
        pieces.add("</s>");
        types.add(UnigramModel.Type.CONTROL);
        for (String s : options.specialTokens()) {
            pieces.add(s);
            types.add(UnigramModel.Type.CONTROL);
        }
        if (options.byteFallback()) {
            for (int b = 0; b < 256; b++) {
                pieces.add(UnigramModel.bytePiece(b));
                types.add(UnigramModel.Type.BYTE);
            }
        }
        for (int i = 0; i < pieces.size(); i++) {
            scores.add(0f);
        }
        for (Map.Entry<String, Double> e : sorted) {
            pieces.add(e.getKey());
            types.add(UnigramModel.Type.NORMAL);
            scores.add((float) (Math.round(e.getValue() / SCORE_QUANTUM) * SCORE_QUANTUM));
        }
        float[] s = new float[scores.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = scores.get(i);
        }
        return new UnigramModel(pieces, s, types, options.normalizer(), options.byteFallback());
    }
}
