package dev.tokenmill.train.ckpt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format for float32 tensors: an 8-byte little-endian header length, a JSON header (per tensor
 * {@code dtype}, {@code shape}, {@code data_offsets}; optional {@code __metadata__} string map) padded with spaces
 * to a multiple of 8 so the data is aligned, then the tensors' bytes back to back. Written by streaming each
 * tensor in chunks, so no tensor or file size limit applies (DJL's encoder stops at 2 GiB and does not pad).
 */
public final class SafeTensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 1 << 20;

    /** One tensor to write: its shape and a way to read its values a range at a time. */
    public record Tensor(long[] shape, Source values) {
        public long size() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** Values {@code [from, from + length)} of a tensor in row-major order. */
    public interface Source {
        float[] read(long from, int length);
    }

    public static Tensor of(long[] shape, float[] values) {
        return new Tensor(
                shape, (from, length) -> java.util.Arrays.copyOfRange(values, (int) from, (int) from + length));
    }

    private SafeTensors() {}

    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            long bytes = e.getValue().size() * 4;
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        try (FileChannel ch = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            writeFully(ch, head);
            ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors.values()) {
                long n = t.size();
                for (long from = 0; from < n; from += CHUNK) {
                    int len = (int) Math.min(CHUNK, n - from);
                    buf.clear();
                    buf.asFloatBuffer().put(t.values().read(from, len));
                    buf.limit(len * 4);
                    writeFully(ch, buf);
                }
            }
            ch.force(true);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** An opened file: its header, ready to read tensors by name. */
    public static final class Reader implements AutoCloseable {
        private final FileChannel channel;
        private final long dataStart;
        private final Map<String, JsonNode> entries = new LinkedHashMap<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();

        public Reader(Path file) throws IOException {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, len, 0);
            long n = len.flip().getLong();
            if (n <= 0 || n > 100_000_000 || 8 + n > channel.size()) {
                channel.close();
                throw new IOException(file + " is not a safetensors file (header length " + n + ")");
            }
            ByteBuffer h = ByteBuffer.allocate((int) n);
            readFully(channel, h, 8);
            JsonNode header = JSON.readTree(new String(h.array(), StandardCharsets.UTF_8).strip());
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue()
                            .fields()
                            .forEachRemaining(
                                    m -> metadata.put(m.getKey(), m.getValue().asText()));
                } else {
                    entries.put(e.getKey(), e.getValue());
                }
            }
            dataStart = 8 + n;
        }

        public List<String> names() {
            return List.copyOf(entries.keySet());
        }

        public Map<String, String> metadata() {
            return metadata;
        }

        public long[] shape(String name) {
            JsonNode s = entry(name).get("shape");
            long[] out = new long[s.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = s.get(i).asLong();
            }
            return out;
        }

        /**
         * A tensor's bytes memory-mapped (read-only, little-endian), nothing copied into the Java heap; the mapping
         * stays valid after the reader is closed.
         */
        public ByteBuffer map(String name) throws IOException {
            JsonNode e = entry(name);
            if (!"F32".equals(e.get("dtype").asText())) {
                throw new IOException("tensor " + name + " is " + e.get("dtype").asText() + "; only F32 is read");
            }
            long from = e.get("data_offsets").get(0).asLong();
            long to = e.get("data_offsets").get(1).asLong();
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + from, to - from)
                    .order(ByteOrder.LITTLE_ENDIAN);
        }

        public float[] read(String name) throws IOException {
            JsonNode e = entry(name);
            if (!"F32".equals(e.get("dtype").asText())) {
                throw new IOException("tensor " + name + " is " + e.get("dtype").asText() + "; only F32 is read");
            }
            long from = e.get("data_offsets").get(0).asLong();
            long to = e.get("data_offsets").get(1).asLong();
            long count = (to - from) / 4;
            float[] out = new float[Math.toIntExact(count)];
            ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min(CHUNK * 4L, Math.max(4, to - from)))
                    .order(ByteOrder.LITTLE_ENDIAN);
            int at = 0;
            for (long pos = from; pos < to; ) {
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), to - pos));
                readFully(channel, buf, dataStart + pos);
                buf.flip();
                int k = buf.remaining() / 4;
                buf.asFloatBuffer().get(out, at, k);
                at += k;
                pos += (long) k * 4;
            }
            return out;
        }

        private JsonNode entry(String name) {
            JsonNode e = entries.get(name);
            if (e == null) {
                throw new IllegalArgumentException("no tensor " + name);
            }
            return e;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long p = position;
        while (b.hasRemaining()) {
            int r = ch.read(b, p);
            if (r < 0) {
                throw new IOException("unexpected end of file");
            }
            p += r;
        }
    }
}
