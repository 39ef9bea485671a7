package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.lake.TableStats;
import dev.tokenmill.jobs.lake.read.KernelReader;
import dev.tokenmill.jobs.lake.read.TableSummary;
import dev.tokenmill.jobs.util.TextTable;
import io.delta.kernel.utils.FileStatus;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "stats",
        mixinStandardHelpOptions = true,
        description =
                "Rows, files, bytes, text length distribution, distinct ids and per-source counts of a table version.")
public final class StatsCommand extends LakeCommand {
    /**
     * Tables up to this many bytes of Parquet are summarised in this JVM with Delta Kernel; larger ones by Spark, whose
     * tasks share the scan (and the distinct ids) among cores and executors.
     */
    static final long KERNEL_SCAN_BYTES = 1L << 30;

    @Parameters(index = "0", paramLabel = "TABLE[@VERSION]")
    String table;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    protected boolean readsWithKernel() {
        return true;
    }

    @Override
    public void run() {
        Resolved r = resolve(table);
        Map<String, Object> stats = new java.util.LinkedHashMap<>();
        stats.put("table", r.table().name());
        stats.put("version", r.version());
        KernelReader kernel = lake().kernel();
        KernelReader.Version version =
                kernel == null ? null : kernel.open(r.table().path(), r.version(), r.label());
        List<FileStatus> files = version == null ? null : version.files();
        long bytes = files == null
                ? 0
                : files.stream().mapToLong(FileStatus::getSize).sum();
        if (version != null && bytes <= KERNEL_SCAN_BYTES) {
            stats.put("files", files.size());
            stats.put("bytes", bytes);
            TableSummary summary = new TableSummary(version.columns());
            version.rows(summary.readColumns(), row -> {
                summary.add(row);
                return true;
            });
            stats.putAll(summary.result());
        } else {
            if (version != null) {
                spec.commandLine()
                        .getErr()
                        .printf(
                                "tokenmill: stats: %s holds %,d MB of Parquet: summarising it with Spark%n",
                                r.label(), bytes >> 20);
            }
            Dataset<Row> df = lake().read(r.table(), r.version());
            String[] inputFiles = df.inputFiles();
            stats.put("files", inputFiles.length);
            stats.put("bytes", bytes(inputFiles));
            stats.putAll(TableStats.of(df));
        }
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
