package dev.tokenmill.jobs.recipe;

import dev.tokenmill.core.StageFactory;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Every stage on the classpath, found through {@link ServiceLoader}; {@code ingest} is built in. */
public final class Stages {
    public static final String INGEST = "ingest";
    /** Built in too: trains a Kneser-Ney model for the {@code score} stage from a table. */
    public static final String TRAIN_LM = "train-lm";
    public static final String TOKENIZE = "tokenize";
    public static final String MIX = "mix";
    public static final String PRETRAIN = "pretrain";
    public static final String TRAIN_TOKENIZER = "train-tokenizer";

    private Stages() {
    }

    public static Map<String, StageFactory> all() {
        Map<String, StageFactory> byName = new TreeMap<>();
        for (StageFactory f : ServiceLoader.load(StageFactory.class, Stages.class.getClassLoader())) {
            byName.put(f.name(), f);
        }
        return byName;
    }
}
