package dev.tokenmill.tokenizer.pack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** Reads a {@link MegatronWriter} dataset: the index in memory, the tokens memory-mapped (files up to 2 GiB). */
public final class MegatronReader implements AutoCloseable {
    private final int[] sizes;
    private final long[] pointers;
    private final boolean narrow;
    private final MappedByteBuffer bin;
    private final FileChannel channel;

    public MegatronReader(Path prefix) throws IOException {
        ByteBuffer idx =
                ByteBuffer.wrap(Files.readAllBytes(Path.of(prefix + ".idx"))).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[MegatronWriter.MAGIC.length];
        idx.get(magic);
        if (!Arrays.equals(magic, MegatronWriter.MAGIC) || idx.getLong() != 1) {
            throw new IOException(prefix + ".idx is not a Megatron MMIDIDX version 1 index");
        }
        byte dtype = idx.get();
        if (dtype != MegatronWriter.DTYPE_UINT16 && dtype != MegatronWriter.DTYPE_INT32) {
            throw new IOException(prefix + ".idx: unsupported dtype code " + dtype);
        }
        narrow = dtype == MegatronWriter.DTYPE_UINT16;
        int n = Math.toIntExact(idx.getLong());
        idx.getLong(); // documents
        sizes = new int[n];
        pointers = new long[n];
        for (int i = 0; i < n; i++) {
            sizes[i] = idx.getInt();
        }
        for (int i = 0; i < n; i++) {
            pointers[i] = idx.getLong();
        }
        channel = FileChannel.open(Path.of(prefix + ".bin"), StandardOpenOption.READ);
        bin = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
        bin.order(ByteOrder.LITTLE_ENDIAN);
    }

    public int size() {
        return sizes.length;
    }

    /** Tokens in sample {@code i}. */
    public int length(int i) {
        return sizes[i];
    }

    public int[] get(int i) {
        return get(i, sizes[i]);
    }

    /** The first {@code n} tokens of sample {@code i} (n ≤ its length). */
    public int[] get(int i, int n) {
        return get(i, 0, n);
    }

    /** Tokens {@code [from, from + n)} of sample {@code i}. */
    public int[] get(int i, int from, int n) {
        if (from < 0 || from + n > sizes[i]) {
            throw new IndexOutOfBoundsException(
                    "sample " + i + " has " + sizes[i] + " tokens, asked for " + from + "+" + n);
        }
        int[] out = new int[n];
        int at = Math.toIntExact(pointers[i] + (long) from * (narrow ? 2 : 4));
        for (int k = 0; k < out.length; k++) {
            out[k] = narrow ? Short.toUnsignedInt(bin.getShort(at + 2 * k)) : bin.getInt(at + 4 * k);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
