package dev.tokenmill.tokenizer.bpe;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Counts pre-tokens (as byte-level strings) of a text stream on several threads: the reader hands out blocks of
 * lines, each thread counts into its own map, and the maps are added up at the end. The local path of training
 * (files); on a lake table the same counting runs in Spark tasks.
 */
public final class WordCounter {
    private static final int BLOCK_CHARS = 1 << 20;

    private WordCounter() {}

    public static Map<String, Long> count(BufferedReader in, PreTokenizer preTokenizer, int threads)
            throws IOException {
        return count(in, text -> countBlock(text, preTokenizer), threads);
    }

    /** Counts with any block counter (blocks are whole lines); the merge is the same. */
    public static Map<String, Long> count(
            BufferedReader in, java.util.function.Function<String, Map<String, Long>> blockCounter, int threads)
            throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            // at most 2 blocks per thread in flight, merged in order as they finish: memory stays bounded
            java.util.ArrayDeque<Future<Map<String, Long>>> inFlight = new java.util.ArrayDeque<>();
            Map<String, Long> total = new HashMap<>();
            StringBuilder block = new StringBuilder(BLOCK_CHARS + 4096);
            for (String line; (line = in.readLine()) != null; ) {
                block.append(line).append('\n');
                if (block.length() >= BLOCK_CHARS) {
                    String text = block.toString();
                    inFlight.add(pool.submit(() -> blockCounter.apply(text)));
                    block.setLength(0);
                    if (inFlight.size() > 2 * threads) {
                        inFlight.poll().get().forEach((k, v) -> total.merge(k, v, Long::sum));
                    }
                }
            }
            if (block.length() > 0) {
                String text = block.toString();
                inFlight.add(pool.submit(() -> blockCounter.apply(text)));
            }
            while (!inFlight.isEmpty()) {
                inFlight.poll().get().forEach((k, v) -> total.merge(k, v, Long::sum));
            }
            return total;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while counting words", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("word counting failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Counts one block; identical pre-tokens are encoded to byte-level once per block. */
    static Map<String, Long> countBlock(String text, PreTokenizer preTokenizer) {
        Map<String, long[]> raw = new HashMap<>();
        preTokenizer.split(text, piece -> raw.computeIfAbsent(piece, p -> new long[1])[0]++);
        Map<String, Long> out = new HashMap<>(raw.size() * 2);
        raw.forEach((piece, c) -> out.merge(ByteLevel.encode(piece), c[0], Long::sum));
        return out;
    }
}
