package dev.tokenmill.quality;

import dev.tokenmill.core.Params;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageFactory;
import dev.tokenmill.quality.clean.TextCleaner;
import java.util.Map;

/** Recipe parameters of {@code clean}; every rule can be switched off, defaults as {@link TextCleaner.Options#defaults()}. */
public final class CleanStageFactory implements StageFactory {
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
    public Stage create(Map<String, Object> params) {
        Params p = new Params(name(), params).allowOnly("form", "fix_mojibake", "remove_zero_width", "gutenberg",
            "drop_javascript_lines", "drop_policy_lines", "drop_lorem_ipsum_lines", "require_terminal_punctuation");
        TextCleaner.Options d = TextCleaner.Options.defaults();
        return new CleanStage(new TextCleaner.Options(
            TextNormalizer.Form.valueOf(p.oneOf("form", d.form().name(), "NFC", "NFKC", "NONE")),
            p.bool("fix_mojibake", d.fixMojibake()),
            p.bool("remove_zero_width", d.removeZeroWidth()),
            p.bool("gutenberg", d.gutenberg()),
            p.bool("drop_javascript_lines", d.dropJavascriptLines()),
            p.bool("drop_policy_lines", d.dropPolicyLines()),
            p.bool("drop_lorem_ipsum_lines", d.dropLoremIpsumLines()),
            p.bool("require_terminal_punctuation", d.requireTerminalPunctuation())));
    }
}
