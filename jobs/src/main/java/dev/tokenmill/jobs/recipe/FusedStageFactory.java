package dev.tokenmill.jobs.recipe;

import dev.tokenmill.core.FusedStage;
import dev.tokenmill.core.Param;
import dev.tokenmill.core.ParamSet;
import dev.tokenmill.core.ParamValues;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageFactory;
import dev.tokenmill.jobs.step.Steps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Recipe parameters of {@code fused}: row-wise stages run in one pass, writing one output table.
 * <pre>
 * - stage: fused
 *   input: raw/web
 *   output: filtered/web
 *   params:
 *     stages:
 *       - stage: clean
 *       - stage: filter
 *         params: {filters: [gopher_quality, c4]}
 * </pre>
 */
public final class FusedStageFactory implements StageFactory {
    public static final String NAME = "fused";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "row-wise stages (normalize, clean, pii, langid, filter) in one pass over the data, one output version; "
                + "each drop is still recorded under the stage that made it";
    }

    static final Param<Object> STAGES = Param.structured(
            "stages", "list of {stage, params}", "the row-wise stages to run in one pass, in order (at least two)");
    static final ParamSet PARAMS = new ParamSet(NAME, STAGES);

    @Override
    public ParamSet params() {
        return PARAMS;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Stage create(ParamValues values) {
        Object list = values.get(STAGES);
        if (!(list instanceof List<?> steps) || steps.size() < 2) {
            throw new IllegalArgumentException("stage 'fused': 'stages' must list at least two stages");
        }
        Map<String, StageFactory> factories = Steps.stages();
        List<Stage> stages = new ArrayList<>();
        for (Object o : steps) {
            if (!(o instanceof Map<?, ?> step) || !(step.get("stage") instanceof String name)) {
                throw new IllegalArgumentException(
                        "stage 'fused': each entry of 'stages' needs a 'stage' name, got " + o);
            }
            for (Object key : step.keySet()) {
                if (!key.equals("stage") && !key.equals("params")) {
                    throw new IllegalArgumentException("stage 'fused': unknown field '" + key + "' in stages entry '"
                            + name + "' (known: stage, params)");
                }
            }
            StageFactory f = factories.get(name);
            if (f == null || name.equals(NAME)) {
                throw new IllegalArgumentException("stage 'fused': unknown or unfusable stage '" + name + "'");
            }
            Object p = step.get("params");
            if (p != null && !(p instanceof Map<?, ?>)) {
                throw new IllegalArgumentException("stage 'fused': params of '" + name + "' must be a map");
            }
            stages.add(f.create((Map<String, Object>) p));
        }
        return new FusedStage(stages);
    }
}
