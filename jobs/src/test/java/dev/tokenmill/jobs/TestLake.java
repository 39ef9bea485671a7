package dev.tokenmill.jobs;

import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.Sessions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.SparkSession;

/** Test helpers: the one SparkSession of the test JVM (built the way the CLI builds it), files, CLI runs. */
public final class TestLake {
    private TestLake() {}

    public static SparkSession spark() {
        return Sessions.getOrCreate(
                "local[2]",
                Map.of(
                        "spark.sql.shuffle.partitions",
                        "2",
                        "spark.default.parallelism",
                        "2",
                        "spark.databricks.delta.snapshotPartitions",
                        "2"));
    }

    public static Lake lake(Path dir) {
        return new Lake(spark(), dir.toString());
    }

    /** Result of one in-process CLI run. */
    public record Run(int code, String out, String err) {
        public String errLine() {
            return err.strip();
        }
    }

    public static Run cli(Path lake, String... args) {
        List<String> all = new ArrayList<>(List.of("--lake", lake.toString()));
        all.addAll(Arrays.asList(args));
        return cli(all.toArray(String[]::new));
    }

    /** A CLI run with exactly these arguments. */
    public static Run cli(String... all) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(
                all,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    public static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    public static Path writeBytes(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }

    public static Path gzip(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content);
        }
        return file;
    }

    public static Path zstd(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = new com.github.luben.zstd.ZstdOutputStream(Files.newOutputStream(file))) {
            out.write(content);
        }
        return file;
    }
}
