package dev.tokenmill.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenmill.jobs.util.Json;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The lake on S3: S3Proxy (a real S3 protocol server, filesystem backend) as a child process on 127.0.0.1,
 * S3A (hadoop-aws 3.4.1, AWS SDK v2) with path-style access. Ingest from s3a://, write every table to s3a://,
 * read them back with Spark and with Delta Kernel.
 */
class S3LakeTest {
    private static final String BUCKET = "tokenmill-e2e";

    @TempDir
    static Path tmp;

    static Process s3proxy;
    static String endpoint;
    static S3Client s3;

    @BeforeAll
    static void startS3Proxy() throws Exception {
        int port = E2e.freePort();
        endpoint = "http://127.0.0.1:" + port;
        Path data = Files.createDirectories(tmp.resolve("s3data"));
        Path props = Files.writeString(
                tmp.resolve("s3proxy.conf"),
                String.join(
                                "\n",
                                "s3proxy.endpoint=" + endpoint,
                                "s3proxy.authorization=aws-v2-or-v4",
                                "s3proxy.identity=tm-access",
                                "s3proxy.credential=tm-secret",
                                "jclouds.provider=filesystem",
                                "jclouds.filesystem.basedir=" + data)
                        + "\n");
        s3proxy = new ProcessBuilder(
                        dev.tokenmill.jobs.cluster.SparkJvm.java(),
                        "-Xmx256m",
                        "-jar",
                        E2e.tools().resolve("s3proxy.jar").toString(),
                        "--properties",
                        props.toString())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("s3proxy.log").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                break;
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline || !s3proxy.isAlive()) {
                    throw new AssertionError("S3Proxy did not start: " + Files.readString(tmp.resolve("s3proxy.log")));
                }
                Thread.sleep(200);
            }
        }
        s3 = S3Client.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("tm-access", "tm-secret")))
                .build();
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stopS3Proxy() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        if (s3proxy != null) {
            s3proxy.destroy();
            s3proxy.waitFor();
        }
    }

    private static Map<String, String> hadoopS3() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("fs.s3a.endpoint", endpoint);
        m.put("fs.s3a.endpoint.region", "us-east-1");
        m.put("fs.s3a.path.style.access", "true");
        m.put("fs.s3a.connection.ssl.enabled", "false");
        m.put("fs.s3a.access.key", "tm-access");
        m.put("fs.s3a.secret.key", "tm-secret");
        m.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        return m;
    }

    private static E2e.Cli cli(String... args) {
        List<String> all = new ArrayList<>(List.of("--lake", "s3a://" + BUCKET + "/lake"));
        hadoopS3().forEach((k, v) -> {
            all.add("--conf");
            all.add("spark.hadoop." + k + "=" + v);
        });
        all.addAll(List.of(args));
        E2e.spark();
        return E2e.cli(all.toArray(String[]::new));
    }

    private void upload(String key, Path file) {
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromFile(file));
    }

    /**
     * The whole {@code bin/tokenmill} process: keys from a {@code --conf-file} (nothing secret on the command line),
     * and S3 failures as one line of output — no Hadoop WARN lines, the SDK's message once — after the timeout that
     * was configured (S3A would have raised 2 s to 15 s).
     */
    @Test
    void keysFromAConfFileAndStorageErrorsInOneLine() throws Exception {
        String tokenmill = E2e.home().resolve("bin/tokenmill").toString();
        StringBuilder props = new StringBuilder();
        hadoopS3()
                .forEach((k, v) -> props.append("spark.hadoop.")
                        .append(k)
                        .append('=')
                        .append(v)
                        .append('\n'));
        Path confFile = Files.writeString(tmp.resolve("s3.properties"), props);
        List<String> listTables =
                List.of(tokenmill, "--lake", "s3a://" + BUCKET + "/lake", "--conf-file", confFile.toString(), "tables");
        assertTrue(listTables.stream().noneMatch(a -> a.contains("tm-secret")));
        E2e.Result ok = E2e.exec(listTables, Map.of(), Duration.ofMinutes(2));
        assertEquals(0, ok.code(), ok.out());

        E2e.Result refused = E2e.exec(
                List.of(
                        tokenmill,
                        "--lake",
                        "s3a://" + BUCKET + "/lake",
                        "--conf-file",
                        confFile.toString(),
                        "--conf",
                        "spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:1",
                        "tables"),
                Map.of(),
                Duration.ofMinutes(2));
        assertEquals(1, refused.code(), refused.out());
        assertEquals(
                List.of("tokenmill: cannot list lake s3a://" + BUCKET
                        + "/lake: cannot connect to 127.0.0.1:1 (Connection refused); "
                        + "check the endpoint (fs.s3a.endpoint) and that the service is up"),
                refused.out().lines().filter(l -> !l.isBlank()).toList());

        try (java.net.ServerSocket silent =
                new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            // accepts connections (the kernel completes them) and never answers
            E2e.Result timedOut = E2e.exec(
                    List.of(
                            tokenmill,
                            "--lake",
                            "s3a://" + BUCKET + "/lake",
                            "--conf-file",
                            confFile.toString(),
                            "--conf",
                            "spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:" + silent.getLocalPort(),
                            "--conf",
                            "spark.hadoop.fs.s3a.connection.timeout=2s",
                            "--conf",
                            "spark.hadoop.fs.s3a.connection.request.timeout=2s",
                            "tables"),
                    Map.of(),
                    Duration.ofMinutes(2));
            assertEquals(1, timedOut.code(), timedOut.out());
            List<String> lines =
                    timedOut.out().lines().filter(l -> !l.isBlank()).toList();
            assertEquals(1, lines.size(), timedOut.out());
            assertTrue(
                    lines.get(0).startsWith("tokenmill: cannot list lake")
                            && lines.get(0).contains("2000 millis"),
                    lines.get(0));
        }
    }

    @Test
    void ingestFromS3WriteTheLakeToS3AndReadItBack() throws Exception {
        upload("input/part-0.jsonl", E2e.corpus(tmp.resolve("in/part-0.jsonl"), 200, 5));
        E2e.Cli ingest = cli("ingest", "--source", "s3src", "--input", "s3a://" + BUCKET + "/input/*.jsonl");
        assertEquals(0, ingest.code(), ingest.err());
        assertTrue(ingest.out().contains("200 added"), ingest.out());

        Path recipe = Files.writeString(
                tmp.resolve("r.yaml"),
                "name: s3\nstages:\n  - stage: normalize\n    input: raw/s3src\n    output: clean/s3src\n");
        E2e.Cli run = cli("run", recipe.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("200 in, 180 kept, 20 rejected"), run.out());

        upload("input/part-1.jsonl", E2e.corpus(tmp.resolve("in/part-1.jsonl"), 50, 6));
        E2e.Cli more = cli("ingest", "--source", "s3src", "--input", "s3a://" + BUCKET + "/input/*.jsonl");
        assertEquals(0, more.code(), more.err());
        assertTrue(more.out().contains("50 added, 200 already present"), more.out());

        JsonNode versions = Json.read(cli("versions", "raw/s3src", "--json").out());
        assertEquals(2, versions.size());
        JsonNode diff = Json.read(cli("diff", "raw/s3src", "0", "1", "--json").out());
        assertEquals(50, diff.get("rows_added").asInt());

        String rawPath = "s3a://" + BUCKET + "/lake/raw/s3src";
        for (Long version : new Long[] {0L, 1L}) {
            Dataset<Row> spark = E2e.spark()
                    .read()
                    .format("delta")
                    .option("versionAsOf", version)
                    .load(rawPath);
            JsonNode kernel = E2e.kernelRead(rawPath, version, hadoopS3());
            assertEquals(spark.count(), kernel.get("rows").asLong());
            assertEquals(E2e.idsSha256(spark), kernel.get("ids_sha256").asText());
        }
        assertEquals(200, E2e.kernelRead(rawPath, 0L, hadoopS3()).get("rows").asInt());
        assertEquals(
                180,
                E2e.kernelRead("s3a://" + BUCKET + "/lake/clean/s3src", null, hadoopS3())
                        .get("rows")
                        .asInt());

        Path exported = tmp.resolve("exported");
        assertEquals(
                0,
                cli("export", "clean/s3src", "--format", "jsonl", "--output", exported.toString())
                        .code());
        assertEquals(180, E2e.spark().read().json(exported.toString()).count());
    }

    /**
     * A dp = 2 pretraining run whose run folder is on S3: every checkpoint is committed by objects written last, a
     * run killed while committing (its last step folder without the marker, the pointer stale) resumes on a fresh
     * machine (no staging folder) from the last committed checkpoint, and ends bit-identical to an uninterrupted run.
     */
    @Test
    void pretrainingOnS3ResumesFromTheLastCommittedCheckpointBitIdentical() throws Exception {
        upload("train/part-0.jsonl", E2e.corpus(tmp.resolve("train/part-0.jsonl"), 300, 9));
        assertEquals(
                0,
                cli("ingest", "--source", "lm", "--input", "s3a://" + BUCKET + "/train/*.jsonl")
                        .code());
        Path recipe = Files.writeString(
                tmp.resolve("tokens.yaml"),
                String.join(
                        "\n",
                        "name: tokens",
                        "seed: 3",
                        "stages:",
                        "  - stage: normalize",
                        "    input: raw/lm",
                        "    output: clean/lm",
                        "  - stage: train-tokenizer",
                        "    input: clean/lm",
                        "    output: models/tok/lm",
                        "    params: {vocab_size: 300}",
                        "  - stage: tokenize",
                        "    input: clean/lm",
                        "    output: tokens/lm",
                        "    params: {tokenizer: models/tok/lm, seq_len: 32}",
                        ""));
        E2e.Cli tokens = cli("run", recipe.toString());
        assertEquals(0, tokens.code(), tokens.err() + tokens.out());

        // staging folders are per machine and URI: an earlier run of this test on this machine may have left them
        for (String run : List.of("runs/whole", "runs/killed")) {
            deleteTree(dev.tokenmill.train.ckpt.RemoteRunFolder.staging("s3a://" + BUCKET + "/lake/" + run));
        }
        E2e.Cli whole = pretrain("runs/whole");
        assertEquals(0, whole.code(), whole.err() + whole.out());
        assertTrue(whole.out().contains("s3a://" + BUCKET + "/lake/runs/whole/checkpoints"), whole.out());
        assertEquals(
                "step-00000008", object("lake/runs/whole/checkpoints/latest").strip());
        for (String step : List.of("step-00000004", "step-00000008")) {
            assertEquals(
                    step,
                    object("lake/runs/whole/checkpoints/" + step + "/COMMITTED").strip());
        }

        E2e.Cli killed = pretrain("runs/killed");
        assertEquals(0, killed.code(), killed.err() + killed.out());
        // killed after every rank uploaded step 8 and before rank 0 wrote its marker: the pointer may even name it
        s3.deleteObject(b -> b.bucket(BUCKET).key("lake/runs/killed/checkpoints/step-00000008/COMMITTED"));
        deleteTree(dev.tokenmill.train.ckpt.RemoteRunFolder.staging("s3a://" + BUCKET + "/lake/runs/killed"));
        E2e.Cli resumed = pretrain("runs/killed", "--resume");
        assertEquals(0, resumed.code(), resumed.err() + resumed.out());
        assertTrue(resumed.out().contains("steps 4 → 8"), resumed.out());
        assertEquals(
                "step-00000008",
                object("lake/runs/killed/checkpoints/step-00000008/COMMITTED").strip());

        assertEquals(losses("runs/whole"), losses("runs/killed"));
        for (String kind : List.of("model", "optimizer")) {
            for (int shard = 1; shard <= 2; shard++) {
                String file = String.format("%s-%05d-of-00002.safetensors", kind, shard);
                assertTrue(
                        java.util.Arrays.equals(
                                bytes("lake/runs/whole/checkpoints/step-00000008/" + file),
                                bytes("lake/runs/killed/checkpoints/step-00000008/" + file)),
                        file + " differs");
            }
        }

        // the model reads back from S3: eval on a fresh machine pulls the committed checkpoints
        deleteTree(dev.tokenmill.train.ckpt.RemoteRunFolder.staging("s3a://" + BUCKET + "/lake/runs/whole"));
        E2e.Cli eval = cli("eval", "runs/whole", "--table", "clean/lm", "--all-checkpoints");
        assertEquals(0, eval.code(), eval.err() + eval.out());
        assertEquals(
                2,
                eval.out()
                        .lines()
                        .filter(l -> l.matches("\\s*[48]\\s+clean/lm@0\\s.*"))
                        .count(),
                eval.out());
    }

    private static E2e.Cli pretrain(String output, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "pretrain",
                "tokens/lm",
                "--output",
                output,
                "--dp",
                "2",
                "--steps",
                "8",
                "--param",
                "layers=2",
                "--param",
                "d_model=32",
                "--param",
                "heads=4",
                "--param",
                "kv_heads=2",
                "--param",
                "micro_batch=2",
                "--param",
                "warmup_steps=2",
                "--param",
                "eval_every=0",
                "--param",
                "checkpoint_every=4",
                "--param",
                "keep_checkpoints=3"));
        args.addAll(List.of(more));
        return cli(args.toArray(String[]::new));
    }

    private static String object(String key) {
        return new String(bytes(key), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
    }

    private static List<Double> losses(String run) throws Exception {
        List<Double> out = new ArrayList<>();
        for (String line : object("lake/" + run + "/metrics.jsonl").split("\n")) {
            JsonNode n = Json.read(line);
            if (n.has("loss")) {
                out.add(n.get("loss").asDouble());
            }
        }
        return out;
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
