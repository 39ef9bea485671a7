package dev.tokenmill.quality.lm;

import dev.tokenmill.quality.filter.Words;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A word n-gram language model with interpolated modified Kneser-Ney smoothing (Chen &amp; Goodman 1998, the
 * estimate KenLM's lmplz makes): highest order on raw counts, lower orders on continuation counts (how many
 * distinct words precede an n-gram), three discounts per order from the count-of-counts, and a uniform
 * distribution over the vocabulary plus {@code <unk>} under the unigrams.
 *
 * <p>Immutable once built or loaded, so one instance serves every task thread of an executor.
 */
public final class KneserNeyModel {
    private static final int MAGIC = 0x544D4B4E; // "TMKN"
    private static final int FORMAT = 1;

    private final int order;
    /** grams[k]: k-gram hash → adjusted count (column 0). */
    private final LongTable[] grams;
    /** contexts[k]: (k-1)-gram context hash → total adjusted count (int column 0), gamma numerator (long bits). */
    private final LongTable[] contexts;
    /** discounts[k][c] for adjusted count c = 1, 2, 3+. */
    private final double[][] discounts;

    private final long unigramTotal;
    private final double unigramGamma;
    private final int vocabulary;

    private KneserNeyModel(
            int order,
            LongTable[] grams,
            LongTable[] contexts,
            double[][] discounts,
            long unigramTotal,
            double unigramGamma,
            int vocabulary) {
        this.order = order;
        this.grams = grams;
        this.contexts = contexts;
        this.discounts = discounts;
        this.unigramTotal = unigramTotal;
        this.unigramGamma = unigramGamma;
        this.vocabulary = vocabulary;
    }

    public int order() {
        return order;
    }

    /** Distinct words seen in training, plus {@code <unk>}. */
    public int vocabulary() {
        return vocabulary;
    }

    /** Number of distinct n-grams of order {@code k}. */
    public int ngrams(int k) {
        return grams[k].size();
    }

    public double discount(int k, int count) {
        return discounts[k][Math.min(count, 3)];
    }

    /** Log10 probability of {@code t[i]} given up to {@code order - 1} tokens before it. */
    double log10(long[] t, int i) {
        int slot = grams[1].find(LmTokens.ngram(t, i, i + 1));
        int a = slot < 0 ? 0 : grams[1].ints(0)[slot];
        double p = (Math.max(a - discount(1, a), 0) + unigramGamma / vocabulary) / unigramTotal;
        for (int k = 2; k <= order && i - k + 1 >= 0; k++) {
            int c = contexts[k].find(LmTokens.ngram(t, i - k + 1, i));
            if (c < 0) {
                break; // an unseen context: no longer one has been seen either
            }
            int g = grams[k].find(LmTokens.ngram(t, i - k + 1, i + 1));
            a = g < 0 ? 0 : grams[k].ints(0)[g];
            double gamma = Double.longBitsToDouble(contexts[k].longs(0)[c]);
            p = ((a == 0 ? 0 : a - discount(k, a)) + gamma * p) / contexts[k].ints(0)[c];
        }
        return Math.log10(p);
    }

    /** Log10 probability and token count of a text, one sentence per line (blank lines skipped). */
    public record Score(double log10, int tokens) {
        /** 10^(-log10 / tokens), as CCNet reports it; NaN for a text with no tokens. */
        public double perplexity() {
            return tokens == 0 ? Double.NaN : Math.pow(10, -log10 / tokens);
        }
    }

    public Score score(String text) {
        Words words = new Words();
        long[] t = new long[64];
        double sum = 0;
        int tokens = 0;
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            t = LmTokens.sentence(line, words, t);
            int n = words.count() + 2;
            for (int i = 1; i < n; i++) {
                sum += log10(t, i);
            }
            tokens += n - 1;
        }
        return new Score(sum, tokens);
    }

    /** Counts n-grams of training text and estimates the model. Not thread-safe. */
    public static final class Builder {
        private final int order;
        private final LongTable[] grams; // ints: raw count, continuation count; longs: context hash
        private final Words words = new Words();
        private long[] t = new long[64];

        public Builder(int order) {
            if (order < 1 || order > 9) {
                throw new IllegalArgumentException("order must be 1..9, got " + order);
            }
            this.order = order;
            grams = new LongTable[order + 1];
            for (int k = 1; k <= order; k++) {
                grams[k] = new LongTable(2, 1, 1 << 12);
            }
        }

        /** Adds a text, one sentence per line. */
        public Builder add(String text) {
            for (String line : text.split("\n")) {
                if (!line.isBlank()) {
                    addSentence(line);
                }
            }
            return this;
        }

        private void addSentence(String line) {
            t = LmTokens.sentence(line, words, t);
            int n = words.count() + 2;
            for (int i = 1; i < n; i++) {
                for (int k = 1; k <= order && i - k + 1 >= 0; k++) {
                    LongTable g = grams[k];
                    int s = g.slot(LmTokens.ngram(t, i - k + 1, i + 1));
                    g.ints(0)[s]++;
                    if (g.wasInserted() && k >= 2) {
                        g.longs(0)[s] = LmTokens.ngram(t, i - k + 1, i);
                        // a new k-gram is one more distinct left extension of its (k-1)-gram suffix
                        LongTable lower = grams[k - 1];
                        lower.ints(1)[lower.find(LmTokens.ngram(t, i - k + 2, i + 1))]++;
                    }
                }
            }
        }

        public KneserNeyModel build() {
            LongTable[] adjusted = new LongTable[order + 1];
            LongTable[] contexts = new LongTable[order + 1];
            double[][] discounts = new double[order + 1][];
            long unigramTotal = 0;
            double unigramGamma = 0;
            for (int k = 1; k <= order; k++) {
                LongTable g = grams[k];
                LongTable out = new LongTable(1, 0, g.size());
                long[] countOfCounts = new long[5];
                for (int s = 0; s < g.capacity(); s++) {
                    if (g.used(s)) {
                        int a = adjustedCount(g, s, k);
                        out.ints(0)[out.slot(g.keyAt(s))] = a;
                        if (a <= 4) {
                            countOfCounts[a]++;
                        }
                    }
                }
                discounts[k] = discounts(countOfCounts);
                adjusted[k] = out;
                // per context: total adjusted count and the mass the discounts free for the lower order
                LongTable ctx = k == 1 ? null : new LongTable(1, 1, Math.max(16, g.size() / 2));
                double gammaOne = 0;
                for (int s = 0; s < g.capacity(); s++) {
                    if (g.used(s)) {
                        int a = adjustedCount(g, s, k);
                        double d = discounts[k][Math.min(a, 3)];
                        if (k == 1) {
                            unigramTotal += a;
                            gammaOne += d;
                        } else {
                            int c = ctx.slot(g.longs(0)[s]);
                            ctx.ints(0)[c] += a;
                            ctx.longs(0)[c] = Double.doubleToLongBits(Double.longBitsToDouble(ctx.longs(0)[c]) + d);
                        }
                    }
                }
                if (k == 1) {
                    unigramGamma = gammaOne;
                }
                contexts[k] = ctx;
            }
            return new KneserNeyModel(
                    order, adjusted, contexts, discounts, unigramTotal, unigramGamma, grams[1].size() + 1);
        }

        private int adjustedCount(LongTable g, int slot, int k) {
            int continuation = g.ints(1)[slot];
            // the highest order, and n-grams that start with <s> (nothing precedes them), keep raw counts
            return k == order || continuation == 0 ? g.ints(0)[slot] : continuation;
        }

        /** Chen &amp; Goodman's estimates D1, D2, D3+ from n1..n4, kept within [0, c] when counts are sparse. */
        static double[] discounts(long[] n) {
            double[] d = new double[4];
            if (n[1] == 0 || n[2] == 0) {
                d[1] = 0.5;
                d[2] = 1.0;
                d[3] = 1.5;
                return d;
            }
            double y = n[1] / (double) (n[1] + 2 * n[2]);
            d[1] = 1 - 2 * y * n[2] / n[1];
            d[2] = 2 - 3 * y * n[3] / n[2];
            d[3] = n[3] == 0 ? 1.5 : 3 - 4 * y * n[4] / n[3];
            for (int c = 1; c <= 3; c++) {
                if (!(d[c] > 0 && d[c] <= c)) {
                    d[c] = c * 0.5;
                }
            }
            return d;
        }
    }

    public void save(OutputStream raw) throws IOException {
        GZIPOutputStream gz = new GZIPOutputStream(raw, 1 << 16);
        DataOutputStream out = new DataOutputStream(gz);
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeInt(order);
        out.writeInt(vocabulary);
        out.writeLong(unigramTotal);
        out.writeDouble(unigramGamma);
        for (int k = 1; k <= order; k++) {
            for (int c = 1; c <= 3; c++) {
                out.writeDouble(discounts[k][c]);
            }
            LongTable g = grams[k];
            out.writeInt(g.size());
            for (int s = 0; s < g.capacity(); s++) {
                if (g.used(s)) {
                    out.writeLong(g.keyAt(s));
                    out.writeInt(g.ints(0)[s]);
                }
            }
            if (k >= 2) {
                LongTable c = contexts[k];
                out.writeInt(c.size());
                for (int s = 0; s < c.capacity(); s++) {
                    if (c.used(s)) {
                        out.writeLong(c.keyAt(s));
                        out.writeInt(c.ints(0)[s]);
                        out.writeLong(c.longs(0)[s]);
                    }
                }
            }
        }
        out.flush();
        gz.finish(); // the caller owns (and closes) the stream
    }

    public static KneserNeyModel load(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a tokenmill n-gram model (bad magic number)");
        }
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException("n-gram model format " + format + " is not supported (expected " + FORMAT + ")");
        }
        int order = in.readInt();
        int vocabulary = in.readInt();
        long unigramTotal = in.readLong();
        double unigramGamma = in.readDouble();
        LongTable[] grams = new LongTable[order + 1];
        LongTable[] contexts = new LongTable[order + 1];
        double[][] discounts = new double[order + 1][4];
        for (int k = 1; k <= order; k++) {
            for (int c = 1; c <= 3; c++) {
                discounts[k][c] = in.readDouble();
            }
            int n = in.readInt();
            grams[k] = new LongTable(1, 0, n);
            for (int i = 0; i < n; i++) {
                int s = grams[k].slot(in.readLong());
                grams[k].ints(0)[s] = in.readInt();
            }
            if (k >= 2) {
                int m = in.readInt();
                contexts[k] = new LongTable(1, 1, m);
                for (int i = 0; i < m; i++) {
                    int s = contexts[k].slot(in.readLong());
                    contexts[k].ints(0)[s] = in.readInt();
                    contexts[k].longs(0)[s] = in.readLong();
                }
            }
        }
        return new KneserNeyModel(order, grams, contexts, discounts, unigramTotal, unigramGamma, vocabulary);
    }
}
