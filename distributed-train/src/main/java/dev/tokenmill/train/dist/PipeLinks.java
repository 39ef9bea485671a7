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
 * The point-to-point links of one pipeline stage: one TCP connection to the previous stage and one to the next,
 * each carrying activations forward and their gradients back. Sends run on a sender thread in call order, receives
 * block: with every stage sending micro-batches in the same order on each link, GPipe and 1F1B cannot deadlock.
 */
public final class PipeLinks implements AutoCloseable {
    private final int stage;
    private final int stages;
    private final ServerSocket server;
    private Socket next;
    private Socket prev;
    private DataOutputStream toNext;
    private DataInputStream fromNext;
    private DataOutputStream toPrev;
    private DataInputStream fromPrev;
    private final ExecutorService sender;
    private Future<?> lastSend;

    /**
     * @param allGather publishes {@code host:port} and returns every stage's, in stage order
     */
    public PipeLinks(int stage, int stages, String host, Function<String, String[]> allGather) {
        this.stage = stage;
        this.stages = stages;
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            String[] addresses = allGather.apply(host + ":" + server.getLocalPort());
            if (stage + 1 < stages) {
                String a = addresses[stage + 1];
                int colon = a.lastIndexOf(':');
                next = new Socket();
                next.setTcpNoDelay(true);
                next.connect(
                        new InetSocketAddress(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1))), 60_000);
                toNext = new DataOutputStream(new BufferedOutputStream(next.getOutputStream(), 1 << 16));
                fromNext = new DataInputStream(new BufferedInputStream(next.getInputStream(), 1 << 16));
            }
            if (stage > 0) {
                prev = server.accept();
                prev.setTcpNoDelay(true);
                toPrev = new DataOutputStream(new BufferedOutputStream(prev.getOutputStream(), 1 << 16));
                fromPrev = new DataInputStream(new BufferedInputStream(prev.getInputStream(), 1 << 16));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("stage " + stage + ": cannot link the pipeline: " + e.getMessage(), e);
        }
        sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pipe-send-" + stage);
            t.setDaemon(true);
            return t;
        });
    }

    public int stage() {
        return stage;
    }

    public int stages() {
        return stages;
    }

    /** Activations of one micro-batch to the next stage (asynchronous). */
    public void sendForward(float[] values) {
        lastSend = sender.submit(() -> {
            write(toNext, values);
            return null;
        });
    }

    /** Gradients of one micro-batch's input to the previous stage (asynchronous). */
    public void sendBackward(float[] values) {
        lastSend = sender.submit(() -> {
            write(toPrev, values);
            return null;
        });
    }

    public float[] receiveForward() {
        return read(fromPrev);
    }

    public float[] receiveBackward() {
        return read(fromNext);
    }

    /** Waits until everything sent so far is on the wire (end of a step). */
    public void flush() {
        try {
            if (lastSend != null) {
                lastSend.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("stage " + stage + ": pipeline send failed: " + e.getMessage(), e);
        }
    }

    private static void write(DataOutputStream out, float[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        out.writeInt(values.length);
        out.write(b.array());
        out.flush();
    }

    private float[] read(DataInputStream in) {
        try {
            int n = in.readInt();
            byte[] bytes = new byte[n * 4];
            in.readFully(bytes);
            float[] out = new float[n];
            ByteBuffer.wrap(bytes)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "stage " + stage + ": pipeline receive failed (a neighbour died?): " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
        for (AutoCloseable c : new AutoCloseable[] {next, prev, server}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // a dead neighbour's socket may fail to close
            }
        }
    }
}
