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
        if (rejectionsTable(history)) {
            printRejections(t, history);
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

    /**
     * A commit that appended a stage's dropped rows to a rejected table: its lineage counts them as the rows it wrote,
     * all of them by rule, and none as rejected from this table.
     */
    static boolean rejectionsCommit(Lineage l) {
        return l != null
                && l.rowsRejected() == 0
                && l.rejectedByRule() != null
                && !l.rejectedByRule().isEmpty()
                && l.rejectedByRule().values().stream()
                                .mapToLong(Long::longValue)
                                .sum()
                        == l.rowsOut();
    }

    private static boolean rejectionsTable(List<Commit> history) {
        long ours = history.stream().filter(c -> c.lineage() != null).count();
        return ours > 0
                && history.stream().filter(c -> rejectionsCommit(c.lineage())).count() == ours;
    }

    /** The versions of a rejected table: which stage appended how many rows from which input, by rule. */
    private void printRejections(TableLocation t, List<Commit> history) {
        TextTable out = new TextTable(
                100, "version", "timestamp", "stage", "input", "rows added", "by rule", "fingerprint", "code");
        for (Commit c : history) {
            Lineage l = c.lineage();
            if (l == null) {
                out.row(
                        c.version(),
                        c.timestamp(),
                        c.operation(),
                        "",
                        c.operationMetrics().getOrDefault("numOutputRows", ""),
                        "",
                        "",
                        "");
                continue;
            }
            String input = l.inputs() == null || l.inputs().isEmpty()
                    ? ""
                    : Lineage.inputTable(l.inputs().get(0))
                            + (l.inputs().get(0).version() == null
                                    ? ""
                                    : "@" + l.inputs().get(0).version());
            StringBuilder rules = new StringBuilder();
            l.rejectedByRule().entrySet().stream()
                    .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                    .forEach(e -> rules.append(rules.length() == 0 ? "" : ", ")
                            .append(e.getKey())
                            .append(' ')
                            .append(e.getValue()));
            out.row(
                    c.version(),
                    c.timestamp(),
                    l.stage(),
                    input,
                    l.rowsOut(),
                    rules,
                    l.fingerprint() == null ? "" : l.fingerprint().substring(0, 12),
                    l.codeVersion());
        }
        out().println(t.name() + " (" + t.path() + "): rows the stages dropped, one commit per stage run");
        out.print(out());
        out().flush();
    }
}
