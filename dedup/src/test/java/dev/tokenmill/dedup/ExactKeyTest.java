package dev.tokenmill.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class ExactKeyTest {
    private final ExactKey all = new ExactKey(true, true, true);
    private final ExactKey none = new ExactKey(false, false, false);

    @Test
    void foldsCasePunctuationAndWhitespace() {
        assertEquals("the cat sat on the mat", all.normalise("  The cat — sat,\n\ton the MAT!  "));
        assertEquals(all.key("The cat sat on the mat."), all.key("the  cat sat on the mat"));
    }

    @Test
    void nfkcMakesCompatibilityFormsEqual() {
        // "ﬁ" ligature and full-width letters are NFKC-equal to their plain forms
        assertEquals(all.key("ﬁne ＡＢＣ"), all.key("fine abc"));
        assertEquals(none.key("ﬁne"), none.key("fine"));
    }

    @Test
    void withoutFoldingOnlyIdenticalTextsMatch() {
        assertNotEquals(none.key("The cat."), none.key("the cat."));
        assertNotEquals(none.key("the cat."), none.key("the cat"));
        assertNotEquals(none.key("the  cat"), none.key("the cat"));
        assertEquals(none.key("the cat"), none.key("the cat"));
    }

    @Test
    void differentTextsDiffer() {
        assertNotEquals(all.key("the cat sat"), all.key("the cat sat down"));
        assertEquals(32, all.key("x").length());
    }

    @Test
    void emptyAfterFoldingIsOneKey() {
        assertEquals(all.key("!!!"), all.key("   ...  "));
        assertEquals("", all.normalise("— !"));
    }
}
