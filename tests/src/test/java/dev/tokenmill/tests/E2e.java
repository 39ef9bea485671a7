package dev.tokenmill.tests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenmill.jobs.Main;
import dev.tokenmill.jobs.cluster.SparkJvm;
import dev.tokenmill.jobs.lake.Sessions;
import dev.tokenmill.jobs.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Helpers for the end-to-end tests: the checkout, child processes, the Delta Kernel verifier. */
final class E2e {
    private E2e() {}

    static Path home() {
        return Path.of(System.getProperty("tokenmill.home", ".."))
                .toAbsolutePath()
                .normalize();
    }

    static Path tools() {
        return Path.of(System.getProperty("tokenmill.tools", "target/tools")).toAbsolutePath();
    }

    static Path appJar() {
        return home().resolve("jobs/target/tokenmill-app.jar");
    }

    /** The launcher classpath: Spark, Delta, Hadoop, S3A (no tokenmill classes: those come from the app jar). */
    static String sparkClasspath() throws IOException {
        return Files.readString(home().resolve("jobs/target/classpath.txt")).strip();
    }

    static SparkSession spark() {
        return Sessions.getOrCreate(
                "local[2]",
                Map.of("spark.sql.shuffle.partitions", "2", "spark.databricks.delta.snapshotPartitions", "2"));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    record Result(int code, String out) {}

    /** Runs a command to completion (stdout+stderr merged), killing it after {@code timeout}. */
    static Result exec(List<String> cmd, Map<String, String> env, Duration timeout) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(home().toFile());
        pb.environment().putAll(env);
        Path log = Files.createTempFile("tokenmill-e2e", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("timed out after " + timeout + ": " + cmd + "\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        Files.delete(log);
        return new Result(p.exitValue(), out);
    }

    /** spark-submit of the application jar, exactly as a user would run Spark's own SparkSubmit. */
    static List<String> sparkSubmit(String master, String... appArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(SparkJvm.java());
        cmd.addAll(SparkJvm.FLAGS);
        cmd.add("-Dlog4j2.configurationFile=" + home().resolve("conf/log4j2.properties"));
        cmd.addAll(List.of(
                "-cp",
                sparkClasspath(),
                "org.apache.spark.deploy.SparkSubmit",
                "--master",
                master,
                "--deploy-mode",
                "client",
                "--class",
                "dev.tokenmill.jobs.Main",
                "--conf",
                "spark.driver.host=127.0.0.1",
                "--conf",
                "spark.executor.memory=1g",
                "--conf",
                "spark.cores.max=2",
                "--conf",
                "spark.sql.shuffle.partitions=4",
                appJar().toString()));
        cmd.addAll(List.of(appArgs));
        return cmd;
    }

    /** Reads a table with Delta Kernel in its own JVM; returns {"version","rows","ids_sha256","first_id"}. */
    static JsonNode kernelRead(String path, Long version, Map<String, String> hadoop) throws Exception {
        Path dir = home().resolve("tests/delta-verifier/target");
        String cp = dir.resolve("tokenmill-delta-verifier-0.1.0-SNAPSHOT.jar") + ":"
                + Files.readString(dir.resolve("classpath.txt")).strip();
        List<String> cmd = new ArrayList<>(List.of(SparkJvm.java(), "-Xmx512m"));
        hadoop.forEach((k, v) -> cmd.add("-Dhadoop." + k + "=" + v));
        cmd.addAll(List.of("-cp", cp, "dev.tokenmill.verifier.DeltaVerifier", path));
        if (version != null) {
            cmd.add(version.toString());
        }
        Result r = exec(cmd, Map.of(), Duration.ofMinutes(2));
        if (r.code() != 0) {
            throw new AssertionError("Delta Kernel verifier failed:\n" + r.out());
        }
        List<String> lines = r.out().lines().filter(l -> l.startsWith("{")).toList();
        return Json.read(lines.get(lines.size() - 1));
    }

    /** The same digest the verifier prints, computed by Spark. */
    static String idsSha256(Dataset<Row> df) throws Exception {
        List<String> ids = new ArrayList<>();
        for (Row r : df.select("id").collectAsList()) {
            ids.add(r.getString(0));
        }
        ids.sort(String::compareTo);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(String.join("\n", ids).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(md.digest());
    }

    /** SHA-256 over the table's rows as JSON, sorted: equal for the same rows whatever the files and their order. */
    static String contentSha256(Path table) throws Exception {
        List<String> rows = new java.util.ArrayList<>(E2e.spark()
                .read()
                .format("delta")
                .load(table.toString())
                .toJSON()
                .collectAsList());
        rows.sort(String::compareTo);
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        for (String r : rows) {
            md.update(r.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update((byte) '\n');
        }
        return java.util.HexFormat.of().formatHex(md.digest()) + " (" + rows.size() + " rows)";
    }

    record Cli(int code, String out, String err) {}

    /** An in-process CLI run (shares this JVM's SparkSession). */
    static Cli cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * {@code parts} JSONL files of {@code docs / parts} documents under {@code dir/in}, and {@code dir/recipe.yaml}:
     * ingest them as source {@code k}, then normalize {@code raw/k} into {@code clean/k}.
     */
    static Path ingestNormalizeRecipe(Path dir, String name, int docs, int parts, int seed) throws IOException {
        for (int i = 0; i < parts; i++) {
            corpus(dir.resolve("in/part-" + i + ".jsonl"), docs / parts, seed + i);
        }
        return Files.writeString(dir.resolve("recipe.yaml"), """
            name: %s
            stages:
              - stage: ingest
                source: k
                input: %s
              - stage: normalize
                input: raw/k
                output: clean/k
            """.formatted(name, dir.resolve("in")));
    }

    /** A JSONL corpus of {@code n} documents; every 10th holds only control characters (normalize rejects it). */
    static Path corpus(Path file, int n, int seed) throws IOException {
        StringBuilder sb = new StringBuilder();
        java.util.Random rnd = new java.util.Random(seed);
        String[] words = {"data", "token", "mill", "spark", "delta", "lake", "corpus", "model", "train", "clean"};
        for (int i = 0; i < n; i++) {
            StringBuilder text = new StringBuilder();
            if (i % 10 == 9) {
                text.append("\\u0007\\u0000 \\u0007");
            } else {
                int len = 20 + rnd.nextInt(80);
                for (int w = 0; w < len; w++) {
                    text.append(words[rnd.nextInt(words.length)]).append(w % 12 == 11 ? ".\\r\\n" : "  ");
                }
            }
            sb.append("{\"text\":\"").append(text).append("\",\"n\":").append(i).append("}\n");
        }
        Files.createDirectories(file.getParent());
        return Files.writeString(file, sb.toString());
    }
}
