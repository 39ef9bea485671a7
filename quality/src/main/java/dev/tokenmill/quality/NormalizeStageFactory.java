package dev.tokenmill.quality;

import dev.tokenmill.core.Params;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageFactory;
import java.util.Map;

/** Recipe parameters of {@code normalize}: form (NFC|NFKC|NONE), collapse_whitespace, max_blank_lines, strip_control. */
public final class NormalizeStageFactory implements StageFactory {
    @Override
    public String name() {
        return "normalize";
    }

    @Override
    public String description() {
        return "Unicode NFC/NFKC, line endings to LF, whitespace and blank-line runs collapsed, control characters removed; empty documents rejected";
    }

    @Override
    public Stage create(Map<String, Object> params) {
        Params p = new Params(name(), params).allowOnly("form", "collapse_whitespace", "max_blank_lines", "strip_control");
        return new NormalizeStage(
            TextNormalizer.Form.valueOf(p.oneOf("form", "NFC", "NFC", "NFKC", "NONE")),
            p.bool("collapse_whitespace", true),
            p.integer("max_blank_lines", 1, -1, 1000),
            p.bool("strip_control", true));
    }
}
