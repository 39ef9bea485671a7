package dev.tokenmill.jobs.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Reads '\n'-terminated lines as raw bytes (no decoding, so invalid UTF-8 can be reported, not replaced). */
final class LineReader {
    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private byte[] line = new byte[1 << 12];
    private int length;

    LineReader(InputStream in) {
        this.in = in;
    }

    /** Reads the next line into {@link #bytes()}; false at end of input. A trailing '\r' is dropped. */
    boolean next() throws IOException {
        length = 0;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                limit = in.read(buf, 0, buf.length);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (length > 0 && line[length - 1] == '\r') {
                        length--;
                    }
                    return any;
                }
            }
            any = true;
            int start = pos;
            while (pos < limit && buf[pos] != '\n') {
                pos++;
            }
            append(start, pos - start);
            if (pos < limit) {
                pos++; // consume '\n'
                if (length > 0 && line[length - 1] == '\r') {
                    length--;
                }
                return true;
            }
        }
    }

    private void append(int start, int n) {
        if (length + n > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
        }
        System.arraycopy(buf, start, line, length, n);
        length += n;
    }

    byte[] bytes() {
        return line;
    }

    int length() {
        return length;
    }
}
