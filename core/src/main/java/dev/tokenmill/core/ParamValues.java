package dev.tokenmill.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A step's parsed parameters: each value (or its default) by its {@link Param}, and the config they make. */
public final class ParamValues implements java.io.Serializable {
    private final transient ParamSet set;
    private final Map<String, Object> values;
    private final Set<String> given;

    ParamValues(ParamSet set, Map<String, Object> values, Set<String> given) {
        this.set = set;
        this.values = Collections.unmodifiableMap(values);
        this.given = given;
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Param<T> param) {
        if (!values.containsKey(param.name())) {
            throw new IllegalArgumentException("parameter '" + param.name() + "' is not declared");
        }
        return (T) values.get(param.name());
    }

    /** True when the recipe gave this parameter (rather than leaving it to its default). */
    public boolean given(Param<?> param) {
        return given.contains(param.name());
    }

    /**
     * Every parameter that changes the output, by name in declaration order, defaults filled in and canonical: the
     * step's config as recorded in lineage and hashed into its fingerprint.
     */
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        for (Param<?> p : set.params()) {
            if (p.changesOutput()) {
                config.put(p.name(), p.canonical(values.get(p.name())));
            }
        }
        return config;
    }
}
