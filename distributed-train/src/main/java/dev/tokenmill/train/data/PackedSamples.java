package dev.tokenmill.train.data;

import dev.tokenmill.tokenizer.pack.MegatronReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Training samples: packed token sequences, each at least {@code seqLen + 1} tokens long (inputs are the first
 * {@code seqLen}, targets the same shifted by one). Backed by a memory-mapped Megatron {@code .bin/.idx} pair or by
 * arrays in memory (tests, or sequences read from the Delta table).
 */
public interface PackedSamples extends AutoCloseable {
    int size();

    /** Sample {@code i}'s first {@code length} tokens. */
    int[] tokens(int i, int length);

    @Override
    default void close() {}

    static PackedSamples of(List<int[]> samples) {
        List<int[]> copy = List.copyOf(samples);
        return new PackedSamples() {
            @Override
            public int size() {
                return copy.size();
            }

            @Override
            public int[] tokens(int i, int length) {
                return java.util.Arrays.copyOf(copy.get(i), length);
            }
        };
    }

    /**
     * Training windows of {@code seqLen + 1} tokens cut from a Megatron dataset ({@code prefix.bin} +
     * {@code prefix.idx}): each packed sample gives {@code (length - 1) / seqLen} windows at a stride of
     * {@code seqLen}, so data packed for a longer context also trains a shorter one; a sample too short for one
     * window (a packer's partial last sample) gives none.
     */
    static PackedSamples megatron(Path prefix, int seqLen) {
        if (!Files.exists(Path.of(prefix + ".idx")) || !Files.exists(Path.of(prefix + ".bin"))) {
            throw new IllegalArgumentException("training data " + prefix + ".bin/.idx not found");
        }
        try {
            MegatronReader reader = new MegatronReader(prefix);
            List<long[]> windows = new ArrayList<>();
            for (int i = 0; i < reader.size(); i++) {
                int count = (reader.length(i) - 1) / seqLen;
                for (int w = 0; w < count; w++) {
                    windows.add(new long[] {i, (long) w * seqLen});
                }
            }
            if (windows.isEmpty()) {
                reader.close();
                throw new IllegalArgumentException("training data " + prefix + " has no sample of " + (seqLen + 1)
                        + " tokens or more (seq_len + 1): pack with a longer sequence length or lower seq_len");
            }
            int[] sample = new int[windows.size()];
            int[] offset = new int[windows.size()];
            for (int i = 0; i < sample.length; i++) {
                sample[i] = (int) windows.get(i)[0];
                offset[i] = (int) windows.get(i)[1];
            }
            return new PackedSamples() {
                @Override
                public int size() {
                    return sample.length;
                }

                @Override
                public int[] tokens(int i, int length) {
                    return reader.get(sample[i], offset[i], length);
                }

                @Override
                public void close() {
                    try {
                        reader.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + prefix + ": " + e.getMessage(), e);
        }
    }
}
