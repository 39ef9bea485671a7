package dev.tokenmill.quality;

import dev.tokenmill.core.Param;
import dev.tokenmill.core.ParamSet;
import dev.tokenmill.core.ParamValues;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageFactory;
import java.util.List;

/** The {@code normalize} stage and its parameters. */
public final class NormalizeStageFactory implements StageFactory {
    static final Param<String> FORM =
            Param.oneOf("form", "NFC", List.of("NFC", "NFKC", "NONE"), "Unicode normalisation form");
    static final Param<Boolean> COLLAPSE_WHITESPACE =
            Param.bool("collapse_whitespace", true, "runs of spaces and tabs become one space; trailing spaces go");
    static final Param<Integer> MAX_BLANK_LINES =
            Param.integer("max_blank_lines", 1, -1, 1000, "longest run of blank lines kept (-1: any)");
    static final Param<Boolean> STRIP_CONTROL =
            Param.bool("strip_control", true, "remove control characters other than tab and newline");
    static final ParamSet PARAMS = new ParamSet("normalize", FORM, COLLAPSE_WHITESPACE, MAX_BLANK_LINES, STRIP_CONTROL);

    @Override
    public String name() {
        return "normalize";
    }

    @Override
    public String description() {
        return "Unicode NFC/NFKC, line endings to LF, whitespace and blank-line runs collapsed, control characters removed; empty documents rejected";
    }

    @Override
    public ParamSet params() {
        return PARAMS;
    }

    @Override
    public Stage create(ParamValues v) {
        return new NormalizeStage(
                v.config(),
                TextNormalizer.Form.valueOf(v.get(FORM)),
                v.get(COLLAPSE_WHITESPACE),
                v.get(MAX_BLANK_LINES),
                v.get(STRIP_CONTROL));
    }
}
