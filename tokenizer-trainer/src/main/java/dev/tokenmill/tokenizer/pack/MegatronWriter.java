package dev.tokenmill.tokenizer.pack;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Megatron-LM's indexed dataset ({@code MMapIndexedDataset}): {@code PREFIX.bin} holds the token ids of every
 * sequence back to back (uint16 when the vocabulary fits, else int32, little-endian); {@code PREFIX.idx} holds the
 * header {@code "MMIDIDX\0\0"}, version 1 (uint64), the dtype code (uint8: 8 = uint16, 4 = int32), the number of
 * sequences and of documents (uint64 each), the sequence lengths (int32[]), their byte offsets into .bin
 * (int64[]) and the document index (int64[], sequence numbers where documents start, plus the total). Each packed
 * sample is written as one sequence and one document. The trainer reads .bin by memory mapping.
 */
public final class MegatronWriter implements AutoCloseable {
    public static final byte[] MAGIC = {'M', 'M', 'I', 'D', 'I', 'D', 'X', 0, 0};
    public static final byte DTYPE_UINT16 = 8;
    public static final byte DTYPE_INT32 = 4;

    private final Path prefix;
    private final boolean narrow;
    private final OutputStream bin;
    private final List<Integer> sizes = new ArrayList<>();
    private final ByteBuffer scratch;

    public MegatronWriter(Path prefix, int vocabSize, int maxSequence) throws IOException {
        this.prefix = prefix;
        this.narrow = vocabSize <= 65536;
        this.bin = new BufferedOutputStream(Files.newOutputStream(Path.of(prefix + ".bin")), 1 << 20);
        this.scratch = ByteBuffer.allocate(maxSequence * 4).order(ByteOrder.LITTLE_ENDIAN);
    }

    public int bytesPerToken() {
        return narrow ? 2 : 4;
    }

    public void add(int[] tokens) throws IOException {
        scratch.clear();
        for (int t : tokens) {
            if (narrow) {
                scratch.putShort((short) t);
            } else {
                scratch.putInt(t);
            }
        }
        bin.write(scratch.array(), 0, scratch.position());
        sizes.add(tokens.length);
    }

    @Override
    public void close() throws IOException {
        bin.close();
        int n = sizes.size();
        ByteBuffer idx = ByteBuffer.allocate(MAGIC.length + 8 + 1 + 8 + 8 + n * 4 + n * 8 + (n + 1) * 8)
                .order(ByteOrder.LITTLE_ENDIAN);
        idx.put(MAGIC);
        idx.putLong(1);
        idx.put(narrow ? DTYPE_UINT16 : DTYPE_INT32);
        idx.putLong(n);
        idx.putLong(n + 1);
        for (int s : sizes) {
            idx.putInt(s);
        }
        long offset = 0;
        for (int s : sizes) {
            idx.putLong(offset);
            offset += (long) s * bytesPerToken();
        }
        for (long d = 0; d <= n; d++) {
            idx.putLong(d);
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(Path.of(prefix + ".idx")))) {
            out.write(idx.array());
        }
    }
}
