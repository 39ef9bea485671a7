package dev.tokenmill.core;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * What a running stage may use: the session, the recipe seed, the id and text columns, named counters, files
 * ({@link Resources}) and side tables ({@link SideTables}), the last two implemented by the runner.
 */
public final class StageContext {
    private final SparkSession spark;
    private final long seed;
    private final String textColumn;
    private final String idColumn;
    private final Resources resources;
    private final Map<String, LongAccumulator> counters = new LinkedHashMap<>();
    private final java.util.List<org.apache.spark.sql.Dataset<?>> persisted = new java.util.ArrayList<>();
    private final java.util.List<String> notes = new java.util.ArrayList<>();
    private final java.util.List<java.util.function.Supplier<String>> lateNotes = new java.util.ArrayList<>();
    private SideTables sideTables = SideTables.NONE;

    public StageContext(SparkSession spark, long seed, String idColumn, String textColumn) {
        this(spark, seed, idColumn, textColumn, Resources.NONE);
    }

    public StageContext(SparkSession spark, long seed, String idColumn, String textColumn, Resources resources) {
        this.spark = spark;
        this.seed = seed;
        this.idColumn = idColumn;
        this.textColumn = textColumn;
        this.resources = resources;
    }

    /** Files besides the input table (models, word lists), read through the runner. */
    public Resources resources() {
        return resources;
    }

    public SparkSession spark() {
        return spark;
    }

    public long seed() {
        return seed;
    }

    public String textColumn() {
        return textColumn;
    }

    public String idColumn() {
        return idColumn;
    }

    /**
     * A named counter that tasks add to; the runner reports its value in lineage. Spark may re-run a task, so the
     * runner materialises the stage output once (persisted) before reading counters.
     */
    public LongAccumulator counter(String name) {
        return counters.computeIfAbsent(name, n -> spark.sparkContext().longAccumulator(n));
    }

    /** Counter values, in registration order. */
    public Map<String, Long> counterValues() {
        Map<String, Long> values = new LinkedHashMap<>();
        counters.forEach((name, acc) -> values.put(name, acc.value()));
        return values;
    }

    /**
     * Persists an intermediate dataset that a stage reads twice (an aggregate, then a join back), so its rows are
     * computed once; the runner releases it after the stage's output is committed.
     */
    public <T> org.apache.spark.sql.Dataset<T> persist(org.apache.spark.sql.Dataset<T> dataset) {
        persisted.add(dataset);
        return dataset.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    }

    /** Lake tables besides the stage's input and output (set by the runner). */
    public SideTables sideTables() {
        return sideTables;
    }

    public StageContext withSideTables(SideTables tables) {
        this.sideTables = tables;
        return this;
    }

    /** A line for the user (a parameter choice, a summary); the runner prints it under the stage's line. */
    public void note(String line) {
        notes.add(line);
    }

    /** A line computed once the stage's rows are written (from its counters, say); printed with the notes. */
    public void noteAfterRun(java.util.function.Supplier<String> line) {
        lateNotes.add(line);
    }

    /** The notes, then the after-run notes evaluated now. */
    public java.util.List<String> notes() {
        java.util.List<String> all = new java.util.ArrayList<>(notes);
        lateNotes.forEach(s -> all.add(s.get()));
        return all;
    }

    /** Unpersists what {@link #persist} kept. */
    public void releasePersisted() {
        persisted.forEach(d -> d.unpersist());
        persisted.clear();
    }
}
