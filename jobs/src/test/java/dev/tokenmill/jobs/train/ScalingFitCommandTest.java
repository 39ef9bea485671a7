package dev.tokenmill.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.jobs.TestLake;
import dev.tokenmill.train.scaling.ScalingLaw;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scaling-fit verb on a CSV of runs from a known law; a malformed line is a one-line error. */
class ScalingFitCommandTest {
    @TempDir
    Path tmp;

    @Test
    void fitsRunsFromAFileAndSplitsABudget() throws Exception {
        ScalingLaw law = new ScalingLaw(2.0, 300, 500, 0.3, 0.35);
        List<String> lines = new ArrayList<>(List.of("parameters,tokens,loss"));
        for (double n = 1e6; n <= 1.01e9; n *= 10) {
            for (double d = 1e8; d <= 1.01e11; d *= Math.sqrt(10)) {
                lines.add(n + "," + d + "," + law.loss(n, d));
            }
        }
        Path csv = TestLake.write(tmp.resolve("runs.csv"), String.join("\n", lines) + "\n");
        TestLake.Run r = TestLake.cli(
                "scaling-fit", csv.toString(), "--bootstrap", "0", "--budget", "1e20", "--hold-out-largest", "2");
        assertEquals(0, r.code(), r.err() + r.out());
        Matcher m = Pattern.compile("L\\(N, D\\) = ([\\d.]+) \\+ .* / N\\^([\\d.]+) \\+ .* / D\\^([\\d.]+)")
                .matcher(r.out());
        assertTrue(m.find(), r.out());
        assertEquals(2.0, Double.parseDouble(m.group(1)), 0.02);
        assertEquals(0.3, Double.parseDouble(m.group(2)), 0.015);
        assertEquals(0.35, Double.parseDouble(m.group(3)), 0.0175);
        assertTrue(r.out().contains("held out: N 1.00e+09"), r.out());
        assertTrue(r.out().contains("budget 1.00e+20 FLOPs: N_opt"), r.out());

        // a sweep's result files: N from another field, the loss of an eval table, and the iso-FLOP plot
        List<String> json = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            json.add("{\"parameters\": 1, \"non_embedding_parameters\": " + c[0] + ", \"tokens\": " + c[1]
                    + ", \"eval\": {\"tokens/h\": " + c[2] + "}}");
        }
        Path jsonl = TestLake.write(tmp.resolve("runs.jsonl"), String.join("\n", json) + "\n");
        Path png = tmp.resolve("iso.png");
        TestLake.Run sweep = TestLake.cli(
                "scaling-fit",
                jsonl.toString(),
                "--bootstrap",
                "0",
                "--parameters-field",
                "non_embedding_parameters",
                "--loss-field",
                "eval:tokens/h",
                "--plot",
                png.toString());
        assertEquals(0, sweep.code(), sweep.err() + sweep.out());
        Matcher again = Pattern.compile("L\\(N, D\\) = ([\\d.]+) ").matcher(sweep.out());
        assertTrue(again.find(), sweep.out());
        assertEquals(2.0, Double.parseDouble(again.group(1)), 0.02);
        byte[] image = java.nio.file.Files.readAllBytes(png);
        assertTrue(image.length > 1000 && image[1] == 'P' && image[2] == 'N' && image[3] == 'G');

        Path bad =
                TestLake.write(tmp.resolve("bad.jsonl"), "{\"parameters\": 1e6, \"tokens\": \"many\", \"loss\": 3}\n");
        TestLake.Run err = TestLake.cli("scaling-fit", bad.toString());
        assertEquals(2, err.code());
        assertTrue(err.errLine().contains("bad.jsonl:1: expected numbers"), err.errLine());
        assertEquals(1, err.errLine().lines().count());
    }
}
