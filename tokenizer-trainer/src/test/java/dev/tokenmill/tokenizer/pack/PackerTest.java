package dev.tokenmill.tokenizer.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packing keeps every token once, in order, with EOS after each document; Megatron files read back equal. */
class PackerTest {
    @Test
    void everyTokenOnceInOrderWithEosBetweenDocuments() {
        SplittableRandom random = new SplittableRandom(1);
        List<Integer> expected = new ArrayList<>();
        List<Packer.Sample> samples = new ArrayList<>();
        Packer packer = new Packer(7, 0, samples::add);
        for (int d = 0; d < 200; d++) {
            int[] doc = new int[random.nextInt(0, 30)]; // empty documents and documents longer than a sample
            for (int i = 0; i < doc.length; i++) {
                doc[i] = 1 + random.nextInt(1000);
                expected.add(doc[i]);
            }
            expected.add(0);
            packer.add(doc);
        }
        packer.finish();
        List<Integer> got = new ArrayList<>();
        int documents = 0;
        for (int i = 0; i < samples.size(); i++) {
            Packer.Sample s = samples.get(i);
            assertTrue(s.full(7) || i == samples.size() - 1, "only the last sample may be short");
            for (int t : s.tokens()) {
                got.add(t);
            }
            documents += s.documentsStarted();
        }
        assertEquals(expected, got);
        assertEquals(200, documents);
    }

    @Test
    void megatronFilesRoundTripInBothWidths(@TempDir Path tmp) throws Exception {
        for (int vocab : new int[] {50_000, 100_000}) {
            Path prefix = tmp.resolve("v" + vocab);
            int[][] seqs = {{1, 2, 3}, {65_535, 0}, {vocab - 1}};
            try (MegatronWriter w = new MegatronWriter(prefix, vocab, 8)) {
                for (int[] s : seqs) {
                    w.add(s);
                }
            }
            try (MegatronReader r = new MegatronReader(prefix)) {
                assertEquals(3, r.size());
                for (int i = 0; i < 3; i++) {
                    assertArrayEquals(seqs[i], r.get(i));
                }
            }
            assertEquals(6L * (vocab <= 65_536 ? 2 : 4), java.nio.file.Files.size(Path.of(prefix + ".bin")));
        }
    }
}
