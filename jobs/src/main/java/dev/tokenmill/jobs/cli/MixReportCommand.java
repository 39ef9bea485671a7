package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.jobs.mixing.MixReport;
import dev.tokenmill.jobs.util.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Target vs realised proportions, units, epochs and documents per source of a mixture version (from its lineage). */
@Command(
        name = "mix-report",
        mixinStandardHelpOptions = true,
        description = "Target vs realised share, epochs and documents per source of a mix output table.")
public final class MixReportCommand extends LakeCommand {
    @Parameters(index = "0", paramLabel = "TABLE[@VERSION]", description = "A mix output table.")
    String table;

    @Option(names = "--json", description = "Print the lineage's mix section as JSON.")
    boolean json;

    @Override
    protected boolean readsWithKernel() {
        return true;
    }

    @Override
    public void run() {
        Resolved r = resolve(table);
        Lineage lineage = lake().lineageAt(r.table(), r.version());
        if (lineage == null || !"mix".equals(lineage.stage())) {
            throw new UserError(r.label() + " was not written by mix (stage: "
                    + (lineage == null ? "none recorded" : lineage.stage()) + ")");
        }
        if (json) {
            out().println(Json.pretty(lineage.config()));
        } else {
            out().printf(
                            "%s: %,d documents, seed %d, target %,.0f %s, recipe %s%n",
                            r.label(),
                            lineage.rowsOut(),
                            lineage.seed(),
                            ((Number) lineage.config().get("target_units")).doubleValue(),
                            lineage.config().get("unit"),
                            lineage.recipe());
            MixReport.lines(lineage).forEach(out()::println);
        }
        out().flush();
    }
}
