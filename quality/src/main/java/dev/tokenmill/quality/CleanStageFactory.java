package dev.tokenmill.quality;

import dev.tokenmill.core.Param;
import dev.tokenmill.core.ParamSet;
import dev.tokenmill.core.ParamValues;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageFactory;
import dev.tokenmill.quality.clean.TextCleaner;
import java.util.List;

/** The {@code clean} stage; every rule can be switched off, defaults as {@link TextCleaner.Options#defaults()}. */
public final class CleanStageFactory implements StageFactory {
    private static final TextCleaner.Options D = TextCleaner.Options.defaults();
    static final Param<String> FORM =
            Param.oneOf("form", D.form().name(), List.of("NFC", "NFKC", "NONE"), "Unicode normalisation form");
    static final Param<Boolean> FIX_MOJIBAKE =
            Param.bool("fix_mojibake", D.fixMojibake(), "repair runs of UTF-8 decoded as cp1252/Latin-1");
    static final Param<Boolean> REMOVE_ZERO_WIDTH = Param.bool(
            "remove_zero_width", D.removeZeroWidth(), "remove zero-width space, word joiner, BOM and soft hyphen");
    static final Param<Boolean> GUTENBERG =
            Param.bool("gutenberg", D.gutenberg(), "strip Project Gutenberg headers and footers");
    static final Param<Boolean> DROP_JAVASCRIPT_LINES =
            Param.bool("drop_javascript_lines", D.dropJavascriptLines(), "drop lines mentioning javascript (C4)");
    static final Param<Boolean> DROP_POLICY_LINES =
            Param.bool("drop_policy_lines", D.dropPolicyLines(), "drop cookie, privacy and terms-of-use lines (C4)");
    static final Param<Boolean> DROP_LOREM_IPSUM_LINES = Param.bool(
            "drop_lorem_ipsum_lines",
            D.dropLoremIpsumLines(),
            "drop lines with 'lorem ipsum' (C4 drops the document; this drops the line)");
    static final Param<Boolean> REQUIRE_TERMINAL_PUNCTUATION = Param.bool(
            "require_terminal_punctuation",
            D.requireTerminalPunctuation(),
            "drop lines that do not end in terminal punctuation (C4)");
    static final ParamSet PARAMS = new ParamSet(
            "clean",
            FORM,
            FIX_MOJIBAKE,
            REMOVE_ZERO_WIDTH,
            GUTENBERG,
            DROP_JAVASCRIPT_LINES,
            DROP_POLICY_LINES,
            DROP_LOREM_IPSUM_LINES,
            REQUIRE_TERMINAL_PUNCTUATION);

    @Override
    public String name() {
        return "clean";
    }

    @Override
    public String description() {
        return "NFC/NFKC, mojibake repair (UTF-8 read as cp1252/Latin-1), zero-width characters, Gutenberg header/footer,"
                + " C4-style boilerplate lines (javascript, cookie/terms notices, lorem ipsum; optionally lines without"
                + " terminal punctuation); counts per rule";
    }

    @Override
    public ParamSet params() {
        return PARAMS;
    }

    @Override
    public Stage create(ParamValues v) {
        return new CleanStage(
                v.config(),
                new TextCleaner.Options(
                        TextNormalizer.Form.valueOf(v.get(FORM)),
                        v.get(FIX_MOJIBAKE),
                        v.get(REMOVE_ZERO_WIDTH),
                        v.get(GUTENBERG),
                        v.get(DROP_JAVASCRIPT_LINES),
                        v.get(DROP_POLICY_LINES),
                        v.get(DROP_LOREM_IPSUM_LINES),
                        v.get(REQUIRE_TERMINAL_PUNCTUATION)));
    }
}
