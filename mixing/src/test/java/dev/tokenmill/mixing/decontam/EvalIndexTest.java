package dev.tokenmill.mixing.decontam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** n-gram overlap: planted benchmark passages are found through case, punctuation and spacing changes; nothing else. */
class EvalIndexTest {
    private static final String QUESTION =
            "Which of the following best explains why the northern lights are more often seen "
                    + "near the poles than near the equator during periods of strong solar activity?";
    private static final String PASSAGE =
            "The committee reviewed forty-two proposals in its spring session and approved "
                    + "nine of them, citing budget limits and the need for further environmental assessment of the remaining sites.";

    private static EvalIndex index() {
        return EvalIndex.build(
                Map.of("quiz", List.of(QUESTION, "Too short to index."), "reading", List.of(PASSAGE)), 13, 8);
    }

    private static String randomProse(SplittableRandom r, int words) {
        String[] vocab =
                ("the a of and to in that is was he for it with as his on be at by i this had not are but from or "
                                + "have an they which one you were her all she there would their we him been has when who will more no if out so "
                                + "said what up its about into than them can only other new some could time these two may then do first any my now "
                                + "such like our over man me even most made after also did many before must through back years where much your way")
                        .split(" ");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            sb.append(i == 0 ? "" : " ").append(vocab[r.nextInt(vocab.length)]);
        }
        return sb.toString();
    }

    @Test
    void findsPlantedPassagesThroughSurfaceChanges() {
        EvalIndex index = index();
        String changed = "  " + QUESTION.toUpperCase().replace(" ", "\n   ").replace("?", " ??") + " ";
        EvalIndex.Match m = index.find("Some preface. " + changed + " And a tail.", 1);
        assertNotNull(m);
        assertEquals("quiz", m.benchmark());
        assertEquals(new NgramText(QUESTION).size() - 13 + 1, m.ngrams(), "every 13-gram of the question matches");
        assertTrue(QUESTION.toLowerCase().startsWith(m.example().substring(0, 20)), m.example());
        // a fragment of the passage, with punctuation changed, still shares 13-grams
        String fragment =
                "approved nine of them; citing budget-limits, and the NEED for further environmental assessment";
        EvalIndex.Match p = index.find("News: the committee " + fragment + ".", 1);
        assertNotNull(p);
        assertEquals("reading", p.benchmark());
    }

    @Test
    void aCleanCorpusHasNoMatches() {
        EvalIndex index = index();
        SplittableRandom r = new SplittableRandom(1);
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            docs.add(randomProse(r, 200));
        }
        for (String d : docs) {
            assertNull(index.find(d, 1), d);
        }
        // twelve consecutive words of the question are not thirteen
        String twelve = String.join(" ", java.util.Arrays.copyOf(QUESTION.split(" "), 12));
        assertNull(index.find("intro " + twelve + " outro", 1));
    }

    @Test
    void masksOnlyTheOverlappingWords() {
        EvalIndex index = index();
        String doc = "Before. " + PASSAGE + " After, unrelated words follow here.";
        String masked = index.mask(doc, "<EVAL>");
        assertEquals("Before. <EVAL>. After, unrelated words follow here.", masked);
        assertNull(index.find(masked, 1));
    }

    @Test
    void shortPassagesAreIndexedWhole() {
        EvalIndex index =
                EvalIndex.build(Map.of("short", List.of("What is the capital city of Burkina Faso today")), 13, 8);
        assertEquals(1, index.size());
        assertNotNull(index.find("Trivia night: what is the capital city of burkina faso, today? Nobody knew.", 1));
        assertEquals(0, index.stats().get(0).skippedShort());
        EvalIndex strict = EvalIndex.build(Map.of("short", List.of("Name the capital of Chad")), 13, 8);
        assertEquals(1, strict.stats().get(0).skippedShort());
        assertEquals(0, strict.size());
    }

    @Test
    void evalSetFormats() throws Exception {
        byte[] jsonl =
                ("{\"question\": \"Q one\", \"choices\": [\"a\", \"b\"], \"id\": 3}\n\n{\"question\": \"Q two\"}\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(List.of("Q one a b", "Q two"), EvalSets.parse("mmlu.jsonl", jsonl, java.util.Set.of()));
        assertEquals(List.of("Q one", "Q two"), EvalSets.parse("mmlu.jsonl", jsonl, java.util.Set.of("question")));
        byte[] text = "para one\nline two\n\n\npara two\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(List.of("para one line two", "para two"), EvalSets.parse("x.txt", text, java.util.Set.of()));
    }
}
