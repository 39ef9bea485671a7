package dev.tokenmill.jobs.step;

import dev.tokenmill.jobs.lake.TableLocation;
import java.util.List;
import java.util.Map;

/** A {@link PlannedStep} whose reads, output, config, columns and seed use are fixed when it is planned. */
public abstract class DeclaredStep implements PlannedStep {
    private final List<TableLocation> tables;
    private final Output output;
    private final Map<String, Object> config;
    private final List<String> columns;
    private final boolean seeded;

    protected DeclaredStep(
            List<TableLocation> tables,
            Output output,
            Map<String, Object> config,
            List<String> columns,
            boolean seeded) {
        this.tables = List.copyOf(tables);
        this.output = output;
        this.config = config;
        this.columns = List.copyOf(columns);
        this.seeded = seeded;
    }

    @Override
    public final List<TableLocation> tables() {
        return tables;
    }

    @Override
    public final Output output() {
        return output;
    }

    @Override
    public final Map<String, Object> config() {
        return config;
    }

    @Override
    public final List<String> columns() {
        return columns;
    }

    @Override
    public final boolean seeded() {
        return seeded;
    }
}
