package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.Failures;
import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = "Write a table version as JSONL or Parquet files (a folder of part files, local or s3a://).")
public final class ExportCommand extends LakeCommand {
    @Parameters(index = "0", paramLabel = "TABLE[@VERSION]")
    String table;

    @Option(names = "--format", required = true, description = "jsonl or parquet.")
    String format;

    @Option(
            names = "--output",
            required = true,
            paramLabel = "PATH",
            description = "Output folder; must not exist unless --overwrite.")
    String output;

    @Option(
            names = "--compression",
            description = "jsonl: none, gzip or zstd (default none); parquet: snappy (default), zstd, gzip.")
    String compression;

    @Option(names = "--overwrite", description = "Replace the output folder if it exists.")
    boolean overwrite;

    @Override
    public void run() {
        String f = format.toLowerCase();
        if (!f.equals("jsonl") && !f.equals("parquet")) {
            throw new UserError("--format must be jsonl or parquet, got '" + format + "'");
        }
        Resolved r = resolve(table);
        Path out = new Path(output);
        try {
            if (!overwrite && out.getFileSystem(lake().hadoopConf()).exists(out)) {
                throw new UserError("output " + output + " exists (use --overwrite to replace it)");
            }
        } catch (IOException e) {
            throw Failures.storage("cannot check output " + output, e);
        }
        Dataset<Row> df = lake().read(r.table(), r.version());
        var writer = df.write().mode(overwrite ? "overwrite" : "errorifexists");
        if (compression != null) {
            writer = writer.option("compression", compression);
        }
        if (f.equals("jsonl")) {
            writer.json(output);
        } else {
            writer.parquet(output);
        }
        out().printf("exported %s to %s as %s%n", r.label(), output, f);
        out().flush();
    }
}
