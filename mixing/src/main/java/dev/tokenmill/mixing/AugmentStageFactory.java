package dev.tokenmill.mixing;

import dev.tokenmill.core.Param;
import dev.tokenmill.core.ParamSet;
import dev.tokenmill.core.ParamValues;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageFactory;
import dev.tokenmill.mixing.augment.TextAugmenter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code augment} stage and its parameters. */
public final class AugmentStageFactory implements StageFactory {
    static final Param<Object> OPS = Param.structured(
            "ops",
            "list of {op, p, strength}",
            "the transformations in order, each applied to a copy with probability p (default 1) at a strength"
                    + " (default 0.1: the share of words or characters touched); op one of "
                    + String.join(", ", TextAugmenter.NAMES));
    static final Param<Integer> COPIES = Param.integer("copies", 1, 1, 1000, "augmented copies per document");
    static final Param<Boolean> ONLY_AUGMENTED = Param.bool(
            "only_augmented",
            false,
            "write only the copies (the originals go to the rejected table as only_augmented)");
    static final Param<String> WHERE =
            Param.string("where", null, "SQL filter: only these rows get copies (the others pass through)");
    static final Param<String> MASK_TOKEN = Param.string("mask_token", "<mask>", "what a masked span becomes");
    static final Param<String> BALANCE_BY = Param.string(
            "balance_by",
            null,
            "a column: copy the rows of each of its values until the value has `target` rows (instead of `copies`)");
    static final Param<Integer> TARGET = Param.optionalInteger(
            "target", 1, Integer.MAX_VALUE, "with balance_by: rows per value (default: the most frequent value's)");
    static final Param<String> WORDNET = Param.string(
            "wordnet",
            "/usr/share/wordnet",
            "WordNet database folder for synonym and synonym_insert (Debian's wordnet-base), read by the driver");
    static final ParamSet PARAMS =
            new ParamSet("augment", OPS, COPIES, ONLY_AUGMENTED, WHERE, MASK_TOKEN, BALANCE_BY, TARGET, WORDNET);

    @Override
    public String name() {
        return "augment";
    }

    @Override
    public String description() {
        return "seeded copies of documents: EDA's synonym replacement and insertion (WordNet), word swaps and"
                + " deletions, typos, OCR noise, case and space changes, sentence shuffles, masked spans; copies carry"
                + " augmented_from and augment_ops";
    }

    @Override
    public ParamSet params() {
        return PARAMS;
    }

    @Override
    public Stage create(ParamValues v) {
        List<TextAugmenter.Op> ops = ops(v.get(OPS));
        Map<String, Object> config = new LinkedHashMap<>(v.config());
        List<Map<String, Object>> resolved = new ArrayList<>();
        for (TextAugmenter.Op op : ops) {
            resolved.add(Map.of("op", op.name(), "p", op.probability(), "strength", op.strength()));
        }
        config.put("ops", resolved);
        boolean synonyms = ops.stream().anyMatch(op -> TextAugmenter.NEED_WORDNET.contains(op.name()));
        String wordNet = null;
        if (synonyms) {
            wordNet = v.get(WORDNET); // its files are the stage's external inputs, checked before any task runs
        } else {
            config.remove(WORDNET.name()); // not read: not part of what the output depends on
        }
        if (v.get(TARGET) != null && v.get(BALANCE_BY) == null) {
            throw new IllegalArgumentException("augment: target needs balance_by");
        }
        return new AugmentStage(
                config,
                ops,
                v.get(COPIES),
                v.get(ONLY_AUGMENTED),
                v.get(WHERE),
                v.get(MASK_TOKEN),
                v.get(BALANCE_BY),
                v.get(TARGET) == null ? null : (long) v.get(TARGET),
                wordNet);
    }

    static List<TextAugmenter.Op> ops(Object raw) {
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException(
                    "ops: give a list of {op, p, strength}, e.g. [{op: swap, strength: 0.1}]");
        }
        List<TextAugmenter.Op> ops = new ArrayList<>();
        for (Object o : list) {
            if (o instanceof String name) {
                ops.add(new TextAugmenter.Op(name, 1.0, 0.1));
                continue;
            }
            if (!(o instanceof Map<?, ?> m) || !(m.get("op") instanceof String name)) {
                throw new IllegalArgumentException("ops: each entry needs op: NAME, got " + o);
            }
            for (Object key : m.keySet()) {
                if (!List.of("op", "p", "strength").contains(String.valueOf(key))) {
                    throw new IllegalArgumentException("ops: unknown key " + key + " in " + m + " (op, p, strength)");
                }
            }
            ops.add(new TextAugmenter.Op(name, number(m.get("p"), 1.0), number(m.get("strength"), 0.1)));
        }
        return ops;
    }

    private static double number(Object o, double def) {
        if (o == null) {
            return def;
        }
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("ops: p and strength are numbers, got " + o);
    }
}
