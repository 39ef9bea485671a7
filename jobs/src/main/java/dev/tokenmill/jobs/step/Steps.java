package dev.tokenmill.jobs.step;

import dev.tokenmill.core.StageFactory;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Every step kind on the classpath: the built-in {@link StepKind}s and each library {@link StageFactory}. */
public final class Steps {
    private Steps() {}

    /** By name, sorted; a library stage may not take a built-in kind's name. */
    public static Map<String, StepKind> all() {
        Map<String, StepKind> byName = new TreeMap<>();
        for (StepKind k : ServiceLoader.load(StepKind.class, Steps.class.getClassLoader())) {
            byName.put(k.name(), k);
        }
        for (StageFactory f : stages().values()) {
            if (byName.putIfAbsent(f.name(), new TransformStep(f)) != null) {
                throw new IllegalStateException("two step kinds are named '" + f.name() + "'");
            }
        }
        return byName;
    }

    /** The library stages alone (row-wise ones can be fused). */
    public static Map<String, StageFactory> stages() {
        Map<String, StageFactory> byName = new TreeMap<>();
        for (StageFactory f : ServiceLoader.load(StageFactory.class, Steps.class.getClassLoader())) {
            byName.put(f.name(), f);
        }
        return byName;
    }
}
