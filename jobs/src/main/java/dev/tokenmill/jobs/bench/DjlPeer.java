package dev.tokenmill.jobs.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * bench-encode's peer: DJL's HuggingFaceTokenizer. Kept in a class of its own so that DJL (on bin/tokenmill's
 * classpath, not in the application jar) is loaded only when the benchmark runs — the CLI lists its commands by
 * reflection, which would otherwise need DJL everywhere.
 */
final class DjlPeer implements AutoCloseable {
    private final HuggingFaceTokenizer hf;
    private final int batch;

    DjlPeer(Path tokenizerJson, int batch) throws IOException {
        this.hf = HuggingFaceTokenizer.builder()
                .optTokenizerPath(tokenizerJson)
                .optAddSpecialTokens(false)
                .optTruncation(false)
                .optPadding(false)
                .build();
        this.batch = batch;
    }

    /** Encodes every line with batchEncode; returns the token count, keeps the ids when {@code keep} is given. */
    long encode(List<String> lines, List<long[]> keep) {
        long total = 0;
        for (int from = 0; from < lines.size(); from += batch) {
            for (Encoding e : hf.batchEncode(lines.subList(from, Math.min(lines.size(), from + batch)))) {
                long[] ids = e.getIds();
                total += ids.length;
                if (keep != null) {
                    keep.add(ids);
                }
            }
        }
        return total;
    }

    @Override
    public void close() {
        hf.close();
    }
}
