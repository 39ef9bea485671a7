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

/**
 * {@link PunktSentenceTokenizer} against NLTK's PunktSentenceTokenizer with the same (shipped) parameters, and
 * {@link NltkWordTokenizer#wordTokenize} against word_tokenize's composition of the two NLTK tokenizers.
 */
class PunktReferenceTest {
    @TempDir
    Path dir;

    @Test
    void everyTextSplitsIntoTheSentencesAndWordsNltkFinds() throws Exception {
        Assumptions.assumeTrue(
                NltkReference.available() || System.getenv("CI") != null, "python3-nltk is not installed");
        List<String> inputs = new ArrayList<>();
        for (String line : NltkReference.europarl(6_000)) {
            String text = line.substring(line.lastIndexOf('\t') + 1);
            // half as one line, half with Europarl's paragraph gaps as blank lines (Punkt reads paragraph starts)
            inputs.add(inputs.size() % 2 == 0 ? text : text.replace("   ", "\n\n"));
        }
        inputs.addAll(NltkReference.sentences(30_000, 7L));
        inputs.addAll(NltkReference.synthetic(20_000, 11L));
        Path params = Path.of("src/main/resources/dev/tokenmill/quality/nltk/punkt-english.json")
                .toAbsolutePath();
        List<String> out = NltkReference.run("nltk_punkt.py", inputs, dir, params.toString());
        assertEquals(inputs.size() + 1, out.size());
        PunktSentenceTokenizer punkt = PunktSentenceTokenizer.english();
        NltkWordSplitter<List<String>> splitter = NltkWordSplitter.english(); // what the filters use
        List<String> differing = new ArrayList<>();
        int failures = 0;
        long sentences = 0;
        for (int i = 0; i < inputs.size(); i++) {
            com.fasterxml.jackson.databind.JsonNode reference = NltkReference.JSON.readTree(out.get(i + 1));
            List<String> expected =
                    NltkReference.JSON.convertValue(reference.get("sentences"), new TypeReference<List<String>>() {});
            List<String> expectedWords =
                    NltkReference.JSON.convertValue(reference.get("words"), new TypeReference<List<String>>() {});
            sentences += expected.size();
            List<String> actual = punkt.sentences(inputs.get(i));
            List<String> actualWords = NltkWordTokenizer.wordTokenize(inputs.get(i));
            List<String> splitterWords = NltkWordSplitter.flatten(splitter, inputs.get(i));
            if (!expected.equals(actual)
                    || !expectedWords.equals(actualWords)
                    || !expectedWords.equals(splitterWords)) {
                failures++;
                if (differing.size() < 10) {
                    differing.add(NltkReference.JSON.writeValueAsString(inputs.get(i)) + "\n   nltk: "
                            + NltkReference.JSON.writeValueAsString(expected)
                            + "\n   ours: " + NltkReference.JSON.writeValueAsString(actual)
                            + "\n   nltk words: " + expectedWords + "\n   our words:  " + actualWords
                            + "\n   splitter:   " + splitterWords);
                }
            }
        }
        assertTrue(sentences > 100_000, "too few sentences to mean anything: " + sentences);
        assertTrue(
                failures == 0,
                failures + " of " + inputs.size() + " texts split differently from NLTK " + out.get(0) + ":\n"
                        + String.join("\n", differing));
    }
}
