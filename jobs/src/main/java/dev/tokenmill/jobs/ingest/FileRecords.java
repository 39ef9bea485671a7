package dev.tokenmill.jobs.ingest;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.sql.Row;

/** Streams the records of one line-oriented file (JSONL, TSV, text) as {@link IngestRow}s, one at a time. */
final class FileRecords implements Iterator<Row> {
    private final InputFile file;
    private final String source;
    private final RecordParser parser;
    private final boolean wholeFile;
    private final InputStream in;
    private final LineReader lines;
    private long lineNumber;
    private Row next;
    private boolean done;

    FileRecords(InputFile file, IngestOptions options, Map<String, String> hadoopConf) {
        this.file = file;
        this.source = options.source();
        this.parser = new RecordParser(options);
        this.wholeFile = options.format() == IngestOptions.Format.TEXT && !options.perLine();
        try {
            this.in = open(file.path(), hadoopConf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.path(), e);
        }
        this.lines = new LineReader(in);
    }

    static InputStream open(String path, Map<String, String> hadoopConf) throws IOException {
        Configuration conf = new Configuration();
        hadoopConf.forEach(conf::set);
        Path p = new Path(path);
        InputStream raw = new BufferedInputStream(p.getFileSystem(conf).open(p), 1 << 16);
        String name = p.getName().toLowerCase();
        if (name.endsWith(".gz")) {
            return new GZIPInputStream(raw, 1 << 16);
        }
        if (name.endsWith(".zst") || name.endsWith(".zstd")) {
            return new ZstdInputStream(raw);
        }
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(p);
        return codec == null ? raw : codec.createInputStream(raw);
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            next = advance();
            if (next == null || done) {
                done = true;
                close();
            }
        }
        return next != null;
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Row r = next;
        next = null;
        return r;
    }

    private Row advance() {
        try {
            if (wholeFile) {
                if (lineNumber > 0) {
                    return null;
                }
                lineNumber = 1;
                byte[] all = in.readAllBytes();
                return parser.parse(all, all.length, file, null);
            }
            while (lines.next()) {
                lineNumber++;
                if (isBlank(lines.bytes(), lines.length())) {
                    continue; // a blank line is a separator, not a record
                }
                return parser.parse(lines.bytes(), lines.length(), file, lineNumber);
            }
            return null;
        } catch (IOException e) {
            // a truncated or corrupt file: keep what was read, quarantine the rest with the reason
            done = true;
            close();
            return IngestRow.quarantined(
                    source,
                    file.path(),
                    lineNumber + 1,
                    "unreadable-file",
                    "cannot read past line " + lineNumber + ": " + e.getMessage(),
                    null,
                    null);
        }
    }

    private static boolean isBlank(byte[] b, int len) {
        for (int i = 0; i < len; i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    private void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // read side only: nothing to flush
        }
    }
}
