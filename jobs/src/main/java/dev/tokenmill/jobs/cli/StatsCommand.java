package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.lake.TableStats;
import dev.tokenmill.jobs.util.TextTable;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "stats",
        mixinStandardHelpOptions = true,
        description = "Rows, files, bytes, text length distribution and per-source counts of a table version.")
public final class StatsCommand extends LakeCommand {
    @Parameters(index = "0", paramLabel = "TABLE[@VERSION]")
    String table;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public void run() {
        Resolved r = resolve(table);
        Dataset<Row> df = lake().read(r.table(), r.version());
        Map<String, Object> stats = new java.util.LinkedHashMap<>();
        stats.put("table", r.table().name());
        stats.put("version", r.version());
        String[] files = df.inputFiles();
        stats.put("files", files.length);
        stats.put("bytes", bytes(files));
        stats.putAll(TableStats.of(df));
        if (json) {
            printJson(stats);
            return;
        }
        TextTable t = new TextTable(100, "statistic", "value");
        stats.forEach((k, v) -> t.row(k, v));
        t.print(out());
        out().flush();
    }

    private long bytes(String[] files) {
        long total = 0;
        var conf = lake().hadoopConf();
        for (String f : files) {
            try {
                org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(f);
                total += p.getFileSystem(conf).getFileStatus(p).getLen();
            } catch (java.io.IOException e) {
                return -1; // files of an old version may have been vacuumed
            }
        }
        return total;
    }
}
