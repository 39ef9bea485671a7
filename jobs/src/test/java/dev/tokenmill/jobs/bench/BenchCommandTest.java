package dev.tokenmill.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.jobs.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The benchmarks are a command group apart from the user verbs; the older one-word forms still reach them. */
class BenchCommandTest {
    private static String help(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(
                args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        assertEquals(0, code);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void benchmarksAreAGroupAndOldVerbsStillWork() {
        assertTrue(help("bench", "filter", "--help").contains("Usage: tokenmill bench filter"));
        assertTrue(help("bench-filter", "--help").contains("Usage: tokenmill bench filter"));
        assertTrue(help("--lake", "x", "bench-pretrain", "--help").contains("Usage: tokenmill bench pretrain"));
        String top = help("--help");
        assertTrue(
                top.contains("bench") && !top.contains("bench-filter"),
                "the user CLI lists `bench`, not each benchmark");
    }

    @Test
    void onlyTheVerbIsSplit() {
        assertArrayEquals(
                new String[] {"--lake", "l", "bench", "mix", "--input", "bench-mix"},
                BenchCommand.splitOldVerb(new String[] {"--lake", "l", "bench-mix", "--input", "bench-mix"}));
        assertArrayEquals(new String[] {"run", "r.yaml"}, BenchCommand.splitOldVerb(new String[] {"run", "r.yaml"}));
        assertArrayEquals(
                new String[] {"bench", "filter"}, BenchCommand.splitOldVerb(new String[] {"bench", "filter"}));
    }
}
