package dev.tokenmill.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parameters a step takes, in declaration order; parses a recipe's {@code params:} map into {@link ParamValues}. */
public final class ParamSet {
    private final String step;
    private final List<Param<?>> params;

    public ParamSet(String step, List<Param<?>> params) {
        this.step = step;
        this.params = List.copyOf(params);
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Param<?> p : params) {
            if (!names.add(p.name())) {
                throw new IllegalStateException(step + ": parameter '" + p.name() + "' declared twice");
            }
        }
    }

    public ParamSet(String step, Param<?>... params) {
        this(step, List.of(params));
    }

    public String step() {
        return step;
    }

    public List<Param<?>> params() {
        return params;
    }

    /** This set with more parameters after its own. */
    public ParamSet plus(List<Param<?>> more) {
        List<Param<?>> all = new ArrayList<>(params);
        all.addAll(more);
        return new ParamSet(step, all);
    }

    /**
     * Parses and validates {@code raw}: an unknown name or a bad value throws {@link IllegalArgumentException} with
     * one line naming the step and the parameter; absent parameters take their defaults.
     */
    public ParamValues parse(Map<String, Object> raw) {
        Params reader = new Params(step, raw);
        reader.allowOnly(params.stream().map(Param::name).toArray(String[]::new));
        Map<String, Object> values = new LinkedHashMap<>();
        for (Param<?> p : params) {
            values.put(p.name(), p.read(reader));
        }
        return new ParamValues(this, values, raw == null ? java.util.Set.of() : java.util.Set.copyOf(raw.keySet()));
    }
}
