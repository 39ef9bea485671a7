package dev.tokenmill.train.dist;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Ring all-reduce over TCP: rank r sends to r+1 and receives from r-1. Each bucket of the buffer is cut into one
 * segment per rank; n-1 reduce-scatter steps leave every rank with one fully summed segment, n-1 all-gather steps
 * pass the sums around (each rank sends and receives 2·(n-1)/n of the data, independent of n). A sender thread
 * writes while the caller reads, so neither side blocks on a full socket buffer. The addition order of each
 * element is fixed by the layout, so results are deterministic run to run.
 *
 * <p>Rendezvous: every rank publishes {@code host:port} of its listening socket through {@code allGather} (Spark's
 * {@code BarrierTaskContext.allGather} in a barrier stage), then connects to its successor.
 */
public final class TcpRing implements Collective {
    /** Floats per bucket: bounds the staging buffers, and lets a large model's gradients stream. */
    static final int BUCKET = 1 << 22;

    private final int rank;
    private final int size;
    private final ServerSocket server;
    private final Socket toNext;
    private final Socket fromPrev;
    private final DataOutputStream out;
    private final DataInputStream in;
    private final ExecutorService sender;

    /**
     * @param allGather publishes this rank's address and returns every rank's, in rank order
     * @param host the address to listen on and advertise (the executor's host)
     */
    public TcpRing(int rank, int size, String host, Function<String, String[]> allGather) {
        this.rank = rank;
        this.size = size;
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            String[] addresses = allGather.apply(host + ":" + server.getLocalPort());
            if (addresses.length != size) {
                throw new IllegalStateException(
                        "rendezvous returned " + addresses.length + " addresses for " + size + " ranks");
            }
            String next = addresses[(rank + 1) % size];
            int colon = next.lastIndexOf(':');
            toNext = new Socket();
            toNext.setTcpNoDelay(true);
            toNext.connect(
                    new InetSocketAddress(next.substring(0, colon), Integer.parseInt(next.substring(colon + 1))),
                    60_000);
            fromPrev = server.accept();
            fromPrev.setTcpNoDelay(true);
            out = new DataOutputStream(new BufferedOutputStream(toNext.getOutputStream(), 1 << 16));
            in = new DataInputStream(new BufferedInputStream(fromPrev.getInputStream(), 1 << 16));
            // a handshake carrying the rank proves the ring is wired as planned
            out.writeInt(rank);
            out.flush();
            int prev = in.readInt();
            if (prev != (rank - 1 + size) % size) {
                throw new IllegalStateException("ring wiring: rank " + rank + " heard from " + prev);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "rank " + rank + ": cannot set up the all-reduce ring: " + e.getMessage(), e);
        }
        sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tcp-ring-send-" + rank);
            t.setDaemon(true);
            return t;
        });
    }

    /** An address other ranks can reach: the machine's own name, or loopback when it has none. */
    public static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (IOException e) {
            return "127.0.0.1";
        }
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void allReduceSum(float[] data) {
        if (size == 1) {
            return;
        }
        for (int from = 0; from < data.length; from += BUCKET) {
            reduceBucket(data, from, Math.min(BUCKET, data.length - from));
        }
    }

    private void reduceBucket(float[] data, int offset, int length) {
        int[] start = new int[size + 1];
        for (int s = 0; s <= size; s++) {
            start[s] = offset + (int) ((long) length * s / size);
        }
        float[] incoming = new float[start[1] - start[0] + 1];
        try {
            // reduce-scatter: after step k, segment (rank - k - 1) holds the sum of k + 2 ranks
            for (int k = 0; k < size - 1; k++) {
                int sendSeg = Math.floorMod(rank - k, size);
                int recvSeg = Math.floorMod(rank - k - 1, size);
                Future<?> sent = send(data, start[sendSeg], start[sendSeg + 1] - start[sendSeg]);
                int n = start[recvSeg + 1] - start[recvSeg];
                incoming = receive(incoming, n);
                for (int i = 0; i < n; i++) {
                    data[start[recvSeg] + i] += incoming[i];
                }
                sent.get();
            }
            // all-gather: pass the finished segments around
            for (int k = 0; k < size - 1; k++) {
                int sendSeg = Math.floorMod(rank + 1 - k, size);
                int recvSeg = Math.floorMod(rank - k, size);
                Future<?> sent = send(data, start[sendSeg], start[sendSeg + 1] - start[sendSeg]);
                int n = start[recvSeg + 1] - start[recvSeg];
                incoming = receive(incoming, n);
                System.arraycopy(incoming, 0, data, start[recvSeg], n);
                sent.get();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("rank " + rank + ": all-reduce failed (a peer died?): " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("rank " + rank + ": all-reduce failed: " + e.getMessage(), e);
        }
    }

    private Future<?> send(float[] data, int from, int n) {
        float[] copy = java.util.Arrays.copyOfRange(data, from, from + n);
        return sender.submit(() -> {
            ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(copy);
            out.writeInt(n);
            out.write(b.array());
            out.flush();
            return null;
        });
    }

    private float[] receive(float[] buffer, int n) throws IOException {
        int got = in.readInt();
        if (got != n) {
            throw new IOException("expected a segment of " + n + " floats, got " + got);
        }
        byte[] bytes = new byte[n * 4];
        in.readFully(bytes);
        float[] into = buffer.length >= n ? buffer : new float[n];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(into, 0, n);
        return into;
    }

    @Override
    public void barrier() {
        allReduceSum(new float[size]);
    }

    @Override
    public void close() {
        sender.shutdownNow();
        for (AutoCloseable c : new AutoCloseable[] {toNext, fromPrev, server}) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing a dead peer's socket can fail; nothing to do
            }
        }
    }
}
