package dev.tokenmill.mixing;

import dev.tokenmill.core.Params;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageFactory;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Recipe parameters of {@code decontaminate}: {@code eval} (a file or folder, or a list; JSONL or text, one
 * benchmark per file), {@code fields} (JSONL keys to read; default all string values), {@code n} (13),
 * {@code min_words} (8: shorter passages are indexed whole down to this length), {@code min_matches} (1),
 * {@code mode} (drop | mask), {@code placeholder} ("&lt;EVAL&gt;", for mask).
 */
public final class DecontaminateStageFactory implements StageFactory {
    @Override
    public String name() {
        return "decontaminate";
    }

    @Override
    public String description() {
        return "drops (or masks) documents sharing 13-word n-grams (case, punctuation and spacing ignored) with "
            + "user-supplied evaluation sets; the rejected table names the benchmark and a matching n-gram";
    }

    @Override
    public Stage create(Map<String, Object> params) {
        Params p = new Params(name(), params).allowOnly("eval", "fields", "n", "min_words", "min_matches", "mode", "placeholder");
        List<String> eval = p.strings("eval");
        if (eval.isEmpty()) {
            throw new IllegalArgumentException("stage 'decontaminate': missing parameter 'eval' (evaluation set files or folders)");
        }
        int n = p.integer("n", 13, 1, 100);
        int minWords = p.integer("min_words", Math.min(8, n), 1, n);
        return new DecontaminateStage(eval, new HashSet<>(p.strings("fields")), n, minWords, p.integer("min_matches", 1, 1, 1_000_000),
            p.oneOf("mode", "drop", "drop", "mask").equals("mask"), p.string("placeholder", "<EVAL>"));
    }
}
