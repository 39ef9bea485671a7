package dev.tokenmill.tokenizer.pack;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Packs documents' token ids into training samples of exactly {@code seqLen + 1} tokens (inputs and the shifted
 * targets of seqLen positions), documents separated by EOS, in order. A document longer than a sample continues
 * into the next one; every token appears in exactly one sample. {@link #finish()} emits what is left as one shorter
 * sample, so nothing is lost at the end of a stream (its {@code length} says how many tokens it has).
 */
public final class Packer {
    /** One sample: the tokens, the number of documents that start in it, and whether it is full. */
    public record Sample(int[] tokens, int documentsStarted) {
        public boolean full(int seqLen) {
            return tokens.length == seqLen + 1;
        }
    }

    private final int sampleSize;
    private final int eos;
    private final Consumer<Sample> out;
    private final int[] buffer;
    private int filled;
    private int started;

    public Packer(int seqLen, int eos, Consumer<Sample> out) {
        if (seqLen < 1) {
            throw new IllegalArgumentException("seq_len must be at least 1, got " + seqLen);
        }
        this.sampleSize = seqLen + 1;
        this.eos = eos;
        this.out = out;
        this.buffer = new int[sampleSize];
    }

    /** Appends one document's tokens followed by EOS. */
    public void add(int[] document) {
        started++;
        for (int t : document) {
            put(t);
        }
        put(eos);
    }

    private void put(int token) {
        buffer[filled++] = token;
        if (filled == sampleSize) {
            out.accept(new Sample(buffer.clone(), started));
            filled = 0;
            started = 0;
        }
    }

    /** Emits the partial last sample, if any. */
    public void finish() {
        if (filled > 0) {
            out.accept(new Sample(Arrays.copyOf(buffer, filled), started));
            filled = 0;
            started = 0;
        }
    }
}
