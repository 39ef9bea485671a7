package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.lake.Commit;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.jobs.lake.TableLocation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "lineage",
        mixinStandardHelpOptions = true,
        description = "Walk the recorded inputs of a table version back to the raw files.")
public final class LineageCommand extends LakeCommand {
    private static final int MAX_DEPTH = 64;

    @Parameters(index = "0", paramLabel = "TABLE[@VERSION]")
    String table;

    @Option(names = "--json", description = "Print the lineage tree as JSON.")
    boolean json;

    @Override
    protected boolean readsWithKernel() {
        return true;
    }

    @Override
    public void run() {
        Resolved r = resolve(table);
        Map<String, Object> tree = walk(r.table(), r.version(), 0);
        if (json) {
            printJson(tree);
            return;
        }
        print(tree, "", "");
        out().flush();
    }

    /** The node of one table version: its lineage (from the nearest commit at or before it) and its inputs. */
    private Map<String, Object> walk(TableLocation table, long version, int depth) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("table", table.name());
        node.put("version", version);
        Commit commit = null;
        for (Commit c : lake().history(table)) {
            if (c.version() <= version && c.lineage() != null) {
                commit = c;
                break;
            }
        }
        if (commit == null) {
            node.put("note", "no tokenmill lineage recorded at or before this version");
            return node;
        }
        if (commit.version() != version) {
            node.put("lineage_from_version", commit.version());
        }
        Lineage l = commit.lineage();
        node.put("lineage", l);
        List<Object> inputs = new ArrayList<>();
        for (Lineage.Input in : l.inputs() == null ? List.<Lineage.Input>of() : l.inputs()) {
            if (in.version() == null) {
                Map<String, Object> files = new LinkedHashMap<>();
                files.put("files", in.path());
                files.put("count", in.files());
                files.put("bytes", in.bytes());
                inputs.add(files);
            } else if (depth >= MAX_DEPTH) {
                inputs.add(Map.of("table", in.table(), "version", in.version(), "note", "depth limit reached"));
            } else {
                inputs.add(walk(locateInput(in), in.version(), depth + 1));
            }
        }
        node.put("inputs", inputs);
        return node;
    }

    /** An input table in this lake: by its recorded lake-relative name, so a copied or moved lake never reads the original. */
    private TableLocation locateInput(Lineage.Input in) {
        return lake().locate(Lineage.inputTable(in));
    }

    @SuppressWarnings("unchecked")
    private void print(Map<String, Object> node, String indent, String branch) {
        if (node.containsKey("files")) {
            out().printf(
                            "%s%sfiles %s (%s file(s), %,d bytes)%n",
                            indent,
                            branch,
                            node.get("files"),
                            node.get("count"),
                            node.get("bytes") == null ? 0L : (Long) node.get("bytes"));
            return;
        }
        StringBuilder line = new StringBuilder(indent + branch + node.get("table") + "@" + node.get("version"));
        Lineage l = (Lineage) node.get("lineage");
        if (l == null) {
            out().println(line + "  (" + node.getOrDefault("note", "no lineage") + ")");
            return;
        }
        line.append("  ").append(l.stage());
        if (node.containsKey("lineage_from_version")) {
            line.append(" (recorded at v")
                    .append(node.get("lineage_from_version"))
                    .append(")");
        }
        line.append(String.format("  %,d in → %,d out, %,d rejected", l.rowsIn(), l.rowsOut(), l.rowsRejected()));
        line.append("  fingerprint ")
                .append(l.fingerprint() == null ? "-" : l.fingerprint().substring(0, 12));
        line.append("  code ").append(l.codeVersion());
        if (l.seed() != null) {
            line.append("  seed ").append(l.seed());
        }
        line.append("  ").append(l.startedAt());
        out().println(line);
        List<Object> inputs = (List<Object>) node.getOrDefault("inputs", List.of());
        String childIndent = indent + (branch.isEmpty() ? "" : branch.startsWith("└") ? "   " : "│  ");
        for (int i = 0; i < inputs.size(); i++) {
            print((Map<String, Object>) inputs.get(i), childIndent, i == inputs.size() - 1 ? "└─ " : "├─ ");
        }
    }
}
