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
                "Write one self-contained HTML page (charts inline) with the lake's tables, quality funnel, near-duplicate "
                        + "clusters, mixtures and pretraining runs.")
public final class ReportCommand extends LakeCommand {
    @Option(names = "--output", defaultValue = "report.html", description = "The HTML file (default ${DEFAULT-VALUE}).")
    Path output;

    @Override
    public void run() {
        try {
            HtmlReport.Summary s = HtmlReport.write(lake(), output);
            out().printf(
                            "%s: %d tables, %d stage outputs, %d pretraining run(s), %d charts%n",
                            output, s.tables(), s.stages(), s.runs(), s.charts());
        } catch (IOException e) {
            throw new JobFailure("cannot write " + output + ": " + e.getMessage(), e);
        }
        out().flush();
    }
}
