package dev.tokenmill.jobs.bench;

import dev.tokenmill.jobs.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A whole process measured as a user pays for it: GNU time's user + system CPU seconds, elapsed wall seconds and
 * peak resident set size (what {@code /usr/bin/time -v} reports), for one side of a benchmark.
 */
final class TimedProcess {
    static final String TIME = "/usr/bin/time";

    /** {@code err}: the process's standard error (its first 4,000 characters), for figures it reports itself. */
    record Measured(double cpu, double wall, long rssKb, String err) {
        String describe() {
            return String.format("wall %.1f s, CPU %.1f s, peak RSS %,d MB", wall, cpu, rssKb / 1024);
        }
    }

    private TimedProcess() {}

    static void requireTime() {
        if (!Files.isExecutable(Path.of(TIME))) {
            throw new UserError(TIME + " is missing (apt-get install time)");
        }
    }

    /** Runs {@code command} (stdout discarded; {@code stdin} fed from a file when not null) under GNU time. */
    static Measured run(List<String> command, Map<String, String> env, Path stdin) throws IOException {
        return run(command, env, stdin, null);
    }

    /** As {@link #run(List, Map, Path)}, standard output written to {@code stdout} when not null. */
    static Measured run(List<String> command, Map<String, String> env, Path stdin, Path stdout) throws IOException {
        List<String> timed = new ArrayList<>(List.of(TIME, "-f", "TIMED %U %S %e %M"));
        timed.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(timed)
                .redirectOutput(
                        stdout == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(stdout.toFile()));
        pb.environment().putAll(env);
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        Process p = pb.start();
        String last = null;
        StringBuilder err = new StringBuilder();
        try (BufferedReader r = p.errorReader(StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("TIMED ")) {
                    last = line;
                } else if (err.length() < 4000) {
                    err.append(line).append('\n');
                }
            }
        }
        try {
            if (p.waitFor() != 0) {
                throw new UserError(command.get(0) + " failed with exit code " + p.exitValue() + ": "
                        + err.toString().strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted");
        }
        if (last == null) {
            throw new UserError("no timing from " + command.get(0) + ": " + err);
        }
        String[] f = last.split(" ");
        return new Measured(
                Double.parseDouble(f[1]) + Double.parseDouble(f[2]),
                Double.parseDouble(f[3]),
                Long.parseLong(f[4]),
                err.toString());
    }

    /** {@code bin/tokenmill} of this installation. */
    static String launcher() {
        return dev.tokenmill.jobs.cli.RunCommand.home().resolve("bin/tokenmill").toString();
    }

    /** The CPU model and the flags that matter for these kernels, from /proc/cpuinfo. */
    static String cpu() {
        try {
            String model = "?";
            List<String> flags = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name") && model.equals("?")) {
                    model = line.substring(line.indexOf(':') + 1).strip();
                } else if (line.startsWith("flags") && flags.isEmpty()) {
                    for (String f :
                            line.substring(line.indexOf(':') + 1).strip().split(" ")) {
                        if (f.startsWith("avx") || f.equals("fma") || f.equals("sse4_2") || f.startsWith("amx")) {
                            flags.add(f);
                        }
                    }
                }
            }
            return model + " × " + Runtime.getRuntime().availableProcessors() + " (" + String.join(" ", flags) + ")"
                    + (System.getenv("OPENBLAS_CORETYPE") == null
                            ? ""
                            : ", OPENBLAS_CORETYPE=" + System.getenv("OPENBLAS_CORETYPE"));
        } catch (IOException e) {
            return "unknown CPU";
        }
    }
}
