package dev.tokenmill.jobs.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What makes two {@code pretrain} calls the same run. The <em>identity</em> (data version, tokenizer, model shape,
 * seed, optimizer and schedule hyper-parameters, the global batch and the held-out split, which fix the sample
 * order) must match for a checkpoint to be continued; everything else (steps, cadences, how many checkpoints to
 * keep, threads, the dp × pp layout with the same global batch, the code version) is a <em>continuation</em>
 * setting, and a run resumes across a change of it. Both sides are derived from what every checkpoint's
 * {@code train_state.json} records, so checkpoints written before this split compare the same way.
 */
final class RunIdentity {
    /** Optimizer and schedule settings that shape the trajectory from step 0. */
    private static final List<String> OPTIMIZER =
            List.of("lr", "min_lr", "warmup_steps", "weight_decay", "beta1", "beta2", "eps", "grad_clip", "precision");

    private RunIdentity() {}

    /** The identity of a run about to start. */
    static Map<String, Object> of(
            String table,
            long version,
            String tokenizerSha,
            Map<String, Object> model,
            long seed,
            Map<String, Object> train,
            int dp) {
        return build(table, version, tokenizerSha, model, seed, train, dp);
    }

    /** The identity a checkpoint's train state records. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> ofState(Map<String, Object> state) {
        Map<String, Object> data = state.get("data") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Map<String, Object> world = state.get("world") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Map<String, Object> train = state.get("train") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Map<String, Object> model = state.get("model") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        return build(
                String.valueOf(data.get("table")),
                number(data.get("version")),
                String.valueOf(state.get("tokenizer_sha256")),
                model,
                number(state.get("seed")),
                train,
                (int) number(world.getOrDefault("dp", 1)));
    }

    private static Map<String, Object> build(
            String table,
            long version,
            String tokenizerSha,
            Map<String, Object> model,
            long seed,
            Map<String, Object> train,
            int dp) {
        Map<String, Object> id = new LinkedHashMap<>();
        id.put("data", table + "@" + version);
        id.put("tokenizer_sha256", tokenizerSha);
        model.forEach((k, v) -> id.put("model." + k, normal(v)));
        id.put("seed", seed);
        for (String k : OPTIMIZER) {
            id.put(k, normal(train.get(k)));
        }
        id.put("global_batch", number(train.get("micro_batch")) * number(train.get("grad_accum")) * dp);
        id.put("held_out_samples", number(train.get("eval_every")) > 0 ? number(train.get("eval_samples")) : 0L);
        return id;
    }

    /**
     * The keys whose values differ, as {@code key old → new}; empty when the two are the same run. A
     * {@code global_batch} difference names its factors, since that is what a user changes.
     */
    static List<String> differences(Map<String, Object> saved, Map<String, Object> now) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : now.entrySet()) {
            Object before = saved.get(e.getKey());
            if (!Objects.equals(before, e.getValue())) {
                String hint = e.getKey().equals("global_batch") ? " (micro_batch × grad_accum × dp)" : "";
                out.add(e.getKey() + hint + " " + before + " → " + e.getValue());
            }
        }
        for (String k : saved.keySet()) {
            if (!now.containsKey(k)) {
                out.add(k + " " + saved.get(k) + " → (none)");
            }
        }
        return out;
    }

    /** The continuation settings that changed since the checkpoint, for the resume note. */
    @SuppressWarnings("unchecked")
    static List<String> changedContinuation(
            Map<String, Object> state, Map<String, Object> train, int dp, int pp, String codeVersion) {
        Map<String, Object> before = new LinkedHashMap<>();
        Map<String, Object> after = new LinkedHashMap<>();
        Map<String, Object> savedTrain = state.get("train") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Map<String, Object> world = state.get("world") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        for (String k : List.of(
                "steps",
                "micro_batch",
                "grad_accum",
                "eval_every",
                "eval_samples",
                "checkpoint_every",
                "keep_checkpoints",
                "log_every",
                "recompute")) {
            before.put(k, normal(savedTrain.get(k)));
            after.put(k, normal(train.get(k)));
        }
        before.put("dp", normal(world.get("dp")));
        after.put("dp", (long) dp);
        before.put("pp", normal(world.get("pp")));
        after.put("pp", (long) pp);
        if (state.get("code_version") != null) {
            before.put("code_version", state.get("code_version"));
            after.put("code_version", codeVersion);
        }
        List<String> out = new ArrayList<>();
        after.forEach((k, v) -> {
            if (!Objects.equals(before.get(k), v)) {
                out.add(k + " " + before.get(k) + " → " + v);
            }
        });
        return out;
    }

    /** JSON numbers read back as Integer or Double; integral values compare as longs, others as doubles. */
    private static Object normal(Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) d : (Object) d;
        }
        return v;
    }

    private static long number(Object v) {
        return v instanceof Number n ? n.longValue() : 0L;
    }
}
