package dev.tokenmill.jobs.step;

import dev.tokenmill.core.ParamValues;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.recipe.Recipe;

/** One recipe entry as a kind sees it while planning: its fields, its parsed params, the lake and the recipe seed. */
public record StepSpec(Recipe.Step step, ParamValues params, Lake lake, long seed) {

    /** A field of the entry that must be there. */
    public String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return value;
    }

    public TableLocation input() {
        return lake.locate(required("input", step.input()));
    }

    public TableLocation output() {
        return lake.locate(required("output", step.output()));
    }

    public String idColumn() {
        return orDefault(step.idColumn(), "id");
    }

    public String textColumn() {
        return orDefault(step.textColumn(), "text");
    }

    /** Refuses a field this kind has no use for, so a misplaced one is not silently ignored. */
    public void refuse(String field, Object value, String why) {
        if (value != null) {
            throw new IllegalArgumentException("field '" + field + "' does not apply: " + why);
        }
    }

    private static String orDefault(String v, String d) {
        return v == null || v.isBlank() ? d : v;
    }
}
