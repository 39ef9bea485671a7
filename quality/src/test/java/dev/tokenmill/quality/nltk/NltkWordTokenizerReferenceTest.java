package dev.tokenmill.quality.nltk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NltkWordTokenizer} against NLTK's own NLTKWordTokenizer (Debian's python3-nltk), token for token. */
class NltkWordTokenizerReferenceTest {
    @TempDir
    Path dir;

    @Test
    void everyStringTokenizesAsNltkDoes() throws Exception {
        Assumptions.assumeTrue(
                NltkReference.available() || System.getenv("CI") != null, "python3-nltk is not installed");
        List<String> inputs = new ArrayList<>(NltkReference.europarl(20_000));
        inputs.addAll(NltkReference.synthetic(100_000, 20261202L));
        List<String> out = NltkReference.run("nltk_word_tokenize.py", inputs, dir);
        assertEquals(inputs.size() + 1, out.size());
        List<String> differing = new ArrayList<>();
        int failures = 0;
        for (int i = 0; i < inputs.size(); i++) {
            List<String> expected = NltkReference.JSON.readValue(out.get(i + 1), new TypeReference<List<String>>() {});
            List<String> actual = NltkWordTokenizer.tokenize(inputs.get(i));
            if (!expected.equals(actual)) {
                failures++;
                if (differing.size() < 15) {
                    differing.add(NltkReference.JSON.writeValueAsString(inputs.get(i)) + "\n   nltk: " + expected
                            + "\n   ours: " + actual);
                }
            }
        }
        assertTrue(
                failures == 0,
                failures + " of " + inputs.size() + " strings tokenize differently from NLTK " + out.get(0) + ":\n"
                        + String.join("\n", differing));
    }
}
