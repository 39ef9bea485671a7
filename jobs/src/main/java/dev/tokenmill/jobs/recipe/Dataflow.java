package dev.tokenmill.jobs.recipe;

import dev.tokenmill.jobs.UserError;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order of a recipe's reads and writes, checked before anything runs: a step may not write what it reads (it
 * would replace its own input, and add a version on every rerun), may not read what a later step writes (it would
 * read a stale or missing table), and two steps may not write the same table or folder. Locations are compared
 * as absolute URIs, so {@code raw/x} and {@code file:/lake/raw/x} are the same table.
 */
final class Dataflow {
    /**
     * One step: how errors name it ("stages[2] (clean)"), what it reads, what it alone writes, and the tables it
     * shares with other steps (the rejected table every stage adds its rejects to); each as absolute URI → name.
     */
    record Step(
            String label, Map<String, String> reads, Map<String, String> writes, Map<String, String> sharedWrites) {}

    private Dataflow() {}

    /** Throws a one-line {@link UserError} naming the steps and the table at the first conflict. */
    static void check(String recipe, List<Step> steps) {
        Map<String, Integer> writer = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            Map<String, String> all = new HashMap<>(s.sharedWrites());
            all.putAll(s.writes());
            for (Map.Entry<String, String> w : all.entrySet()) {
                if (s.reads().containsKey(w.getKey())) {
                    throw new UserError("recipe " + recipe + ": " + s.label() + " writes " + w.getValue()
                            + ", which is also its input: " + "give it another output");
                }
            }
            for (Map.Entry<String, String> w : s.sharedWrites().entrySet()) {
                writer.merge(w.getKey(), i, Math::max);
            }
            for (Map.Entry<String, String> w : s.writes().entrySet()) {
                Integer earlier = writer.putIfAbsent(w.getKey(), i);
                if (earlier != null) {
                    throw new UserError(
                            "recipe " + recipe + ": " + steps.get(earlier).label() + " and " + s.label()
                                    + " both write " + w.getValue() + ": give one of them another output");
                }
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            for (Map.Entry<String, String> r : s.reads().entrySet()) {
                Integer w = writer.get(r.getKey());
                if (w != null && w > i) {
                    throw new UserError("recipe " + recipe + ": " + s.label() + " reads " + r.getValue() + ", which "
                            + steps.get(w).label() + " writes later: move "
                            + steps.get(w).label() + " before it");
                }
            }
        }
    }
}
