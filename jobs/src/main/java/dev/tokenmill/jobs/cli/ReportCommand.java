package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.JobFailure;
import dev.tokenmill.jobs.report.HtmlReport;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** One static HTML page about the lake: funnel, dedup, mixtures, training; images inline. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description =
                "Write a self-contained HTML report (charts inline, no network): the lake's tables, quality funnel, "
                        + "near-duplicate clusters, mixtures, experiments and pretraining runs, and a page per table "
                        + "(versions, schema, rows, signal histograms with thresholds, rejected rows per rule).")
public final class ReportCommand extends LakeCommand {
    @Option(
            names = "--output",
            defaultValue = "report",
            description = "A folder for index.html and tables/ (default ${DEFAULT-VALUE}), or a FILE.html (its table "
                    + "pages go in FILE_tables/ beside it).")
    Path output;

    @Override
    public void run() {
        try {
            HtmlReport.Summary s = HtmlReport.write(lake(), output);
            out().printf(
                            "%s: %d tables (a page each), %d stage outputs, %d pretraining run(s), %d charts%n",
                            output, s.tables(), s.stages(), s.runs(), s.charts());
        } catch (IOException e) {
            throw new JobFailure("cannot write " + output + ": " + e.getMessage(), e);
        }
        out().flush();
    }
}
