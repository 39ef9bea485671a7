package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.lake.Commit;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.lake.TableSpec;
import dev.tokenmill.jobs.util.Json;
import dev.tokenmill.jobs.util.TextTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "versions",
        mixinStandardHelpOptions = true,
        description = "List a table's versions with the stage, rows and fingerprint of each commit.")
public final class VersionsCommand extends LakeCommand {
    @Parameters(index = "0", paramLabel = "TABLE")
    String table;

    @Option(names = "--json", description = "Print JSON (the full lineage of each version).")
    boolean json;

    @Override
    protected boolean readsWithKernel() {
        return true;
    }

    @Override
    public void run() {
        TableLocation t = lake().locate(TableSpec.parse(table).name());
        List<Commit> history = lake().history(t);
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Commit c : history) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("version", c.version());
                row.put("timestamp", c.timestamp());
                row.put("operation", c.operation());
                row.put("operation_metrics", c.operationMetrics());
                row.put(
                        "lineage",
                        c.lineage() != null
                                ? c.lineage()
                                : c.userMetadata() == null ? null : Json.read(c.userMetadata()));
                rows.add(row);
            }
            printJson(rows);
            return;
        }
        TextTable out = new TextTable(
                "version", "timestamp", "operation", "stage", "rows in", "rows out", "rejected", "fingerprint", "code");
        for (Commit c : history) {
            Lineage l = c.lineage();
            out.row(
                    c.version(),
                    c.timestamp(),
                    c.operation(),
                    l == null ? "" : l.stage(),
                    l == null ? "" : l.rowsIn(),
                    l == null ? c.operationMetrics().getOrDefault("numOutputRows", "") : l.rowsOut(),
                    l == null ? "" : l.rowsRejected(),
                    l == null || l.fingerprint() == null ? "" : l.fingerprint().substring(0, 12),
                    l == null ? "" : l.codeVersion());
        }
        out().println(t.name() + " (" + t.path() + ")");
        out.print(out());
        out().flush();
    }
}
