package dev.tokenmill.core;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Several row-wise stages run as one pass over the data, as DataTrove runs a pipeline of steps: one read of the
 * input and one output table version, instead of a table per stage. A row dropped by a stage is passed through
 * the later ones untouched and lands in the rejected table under the name of the stage that dropped it.
 */
public final class FusedStage implements Stage {
    private final List<Stage> stages;

    public FusedStage(List<Stage> stages) {
        if (stages.size() < 2) {
            throw new IllegalArgumentException("a fused stage needs at least two stages");
        }
        for (Stage s : stages) {
            if (!s.rowWise()) {
                throw new IllegalArgumentException("stage '" + s.name() + "' cannot be fused: it is not row-wise");
            }
        }
        this.stages = List.copyOf(stages);
    }

    @Override
    public String name() {
        return String.join("+", stages.stream().map(Stage::name).toList());
    }

    @Override
    public Map<String, Object> config() {
        List<Object> parts = new ArrayList<>();
        for (Stage s : stages) {
            Map<String, Object> part = new LinkedHashMap<>();
            part.put("stage", s.name());
            part.put("config", s.config());
            parts.add(part);
        }
        return Map.of("stages", parts);
    }

    @Override
    public Map<String, String> externalInputs(StageContext context) {
        Map<String, String> all = new LinkedHashMap<>();
        stages.forEach(s -> all.putAll(s.externalInputs(context)));
        return all;
    }

    @Override
    public boolean rowWise() {
        return true;
    }

    @Override
    public List<String> rejectingStages() {
        return stages.stream().flatMap(s -> s.rejectingStages().stream()).toList();
    }

    @Override
    public Dataset<Row> apply(Dataset<Row> input, StageContext context) {
        Dataset<Row> current = input.withColumn(Rejection.PRIOR, lit(null).cast(Rejection.TYPE))
                .withColumn(Rejection.BY_STAGE, lit(null).cast("string"));
        for (Stage stage : stages) {
            Dataset<Row> tagged = stage.apply(current, context);
            current = tagged.withColumn(
                            Rejection.BY_STAGE,
                            coalesce(
                                    col(Rejection.BY_STAGE),
                                    when(col(Rejection.COLUMN).isNotNull(), lit(stage.name()))))
                    .withColumn(Rejection.PRIOR, coalesce(col(Rejection.PRIOR), col(Rejection.COLUMN)))
                    .drop(Rejection.COLUMN);
        }
        return current.withColumnRenamed(Rejection.PRIOR, Rejection.COLUMN);
    }
}
