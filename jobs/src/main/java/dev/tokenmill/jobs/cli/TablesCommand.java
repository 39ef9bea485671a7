package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.lake.Commit;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.util.TextTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "tables", mixinStandardHelpOptions = true, description = "List the tables of the lake.")
public final class TablesCommand extends LakeCommand {
    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    protected boolean readsWithKernel() {
        return true;
    }

    @Override
    public void run() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String name : lake().listTables()) {
            TableLocation t = lake().locate(name);
            Commit latest = lake().history(t).get(0);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("table", name);
            row.put("version", latest.version());
            row.put("updated", latest.timestamp());
            row.put("stage", latest.lineage() == null ? null : latest.lineage().stage());
            rows.add(row);
        }
        if (json) {
            printJson(rows);
            return;
        }
        TextTable t = new TextTable("table", "latest version", "updated", "last stage");
        rows.forEach(r -> t.row(r.get("table"), r.get("version"), r.get("updated"), r.get("stage")));
        out().println("lake " + lake().root());
        t.print(out());
        out().flush();
    }
}
