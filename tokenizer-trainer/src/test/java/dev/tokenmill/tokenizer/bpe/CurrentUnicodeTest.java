package dev.tokenmill.tokenizer.bpe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.ibm.icu.lang.UCharacter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pre-token splits equal HF tokenizers' (the Rust library as DJL bundles it, Oniguruma inside) for every assigned
 * code point of Unicode 16 (private use and surrogates aside) between ASCII letters, between digits and after a
 * space, for both built-in patterns; and the shipped table of Unicode 14-16 additions equals what ICU4J computes.
 */
class CurrentUnicodeTest {
    @TempDir
    Path dir;

    @Test
    void shippedAdditionsAreIcusUnicode16() throws Exception {
        assertEquals("16.0.0.0", UCharacter.getUnicodeVersion().toString());
        List<String> expected = new ArrayList<>();
        for (String cat : new String[] {"L", "N"}) {
            int start = -1;
            for (int cp = 0; cp <= 0x110000; cp++) {
                boolean in = cp <= 0x10FFFF && addition(cat, cp);
                if (in && start < 0) {
                    start = cp;
                }
                if (!in && start >= 0) {
                    expected.add(String.format("%s %04X %04X", cat, start, cp - 1));
                    start = -1;
                }
            }
        }
        List<String> shipped = new ArrayList<>();
        try (var in = CurrentUnicode.class.getResourceAsStream("unicode-16-additions.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    shipped.add(line.trim());
                }
            }
        }
        assertEquals(expected, shipped);
    }

    private static boolean icuLetter(int cp) {
        int t = UCharacter.getType(cp);
        return t >= UCharacter.UPPERCASE_LETTER && t <= UCharacter.OTHER_LETTER;
    }

    private static boolean icuNumber(int cp) {
        int t = UCharacter.getType(cp);
        return t >= UCharacter.DECIMAL_DIGIT_NUMBER && t <= UCharacter.OTHER_NUMBER;
    }

    /** In Unicode 16 but not Java's tables; a code point Java assigns differently would fail the widening's premise. */
    private static boolean addition(String cat, int cp) {
        boolean icu = cat.equals("L") ? icuLetter(cp) : icuNumber(cp);
        int jt = Character.getType(cp);
        boolean java = cat.equals("L")
                ? Character.isLetter(cp)
                : jt == Character.DECIMAL_DIGIT_NUMBER || jt == Character.LETTER_NUMBER || jt == Character.OTHER_NUMBER;
        assertTrue(icu || !java, "Java calls " + Integer.toHexString(cp) + " " + cat + ", Unicode 16 does not");
        assertTrue(
                !icu || java || jt == Character.UNASSIGNED, "assigned otherwise in Java: " + Integer.toHexString(cp));
        return icu && !java;
    }

    @Test
    void splitsEqualHfForEveryAssignedCodePoint() throws Exception {
        for (String name : List.of("gpt2", "llama3")) {
            PreTokenizer ours = PreTokenizer.of(name);
            Path file = dir.resolve(name + ".json");
            // a WordLevel model that knows no word: one [UNK] per pre-token, whose spans are the pre-tokens
            String regex = ours.regex().replace("\\", "\\\\").replace("\"", "\\\"");
            Files.writeString(
                    file,
                    "{\"version\":\"1.0\",\"model\":{\"type\":\"WordLevel\",\"vocab\":{\"[UNK]\":0},"
                            + "\"unk_token\":\"[UNK]\"},\"pre_tokenizer\":{\"type\":\"Split\",\"pattern\":{\"Regex\":\""
                            + regex
                            + "\"},\"behavior\":\"Isolated\",\"invert\":false}}");
            List<String> differing = new ArrayList<>();
            int compared = 0;
            try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .build()) {
                for (int cp = 0x80; cp <= 0x10FFFF; cp++) {
                    int type = UCharacter.getType(cp);
                    if (type == UCharacter.UNASSIGNED
                            || type == UCharacter.PRIVATE_USE
                            || type == UCharacter.SURROGATE) {
                        continue;
                    }
                    String c = new String(Character.toChars(cp));
                    for (String text : new String[] {"x" + c + "y", "1" + c + "2", " " + c + "!"}) {
                        List<String> theirs = spans(hf.encode(text), text);
                        List<String> mine = ours.split(text);
                        compared++;
                        if (!theirs.equals(mine) && differing.size() < 20) {
                            differing.add(String.format("U+%04X in %s: hf %s, ours %s", cp, text, theirs, mine));
                        }
                    }
                }
            }
            assertTrue(compared > 400_000, "compared " + compared);
            assertTrue(differing.isEmpty(), name + ":\n" + String.join("\n", differing));
        }
    }

    private static List<String> spans(Encoding e, String text) {
        List<String> out = new ArrayList<>();
        for (CharSpan s : e.getCharTokenSpans()) { // offsets in code points (Rust chars)
            out.add(text.substring(text.offsetByCodePoints(0, s.getStart()), text.offsetByCodePoints(0, s.getEnd())));
        }
        return out;
    }
}
