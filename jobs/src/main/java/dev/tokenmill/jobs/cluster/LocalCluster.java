package dev.tokenmill.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenmill.jobs.JobFailure;
import dev.tokenmill.jobs.util.Json;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Spark standalone cluster on this machine (one Master, one or more Worker JVMs, each offering its own cores and
 * memory) started from the jars on this JVM's classpath, bound to 127.0.0.1. Several workers put a job's executors in
 * separate JVMs, as on a real cluster (a lost worker, ranks on different executors). The Worker needs a SPARK_HOME
 * whose jars/ holds the Spark classpath and SPARK_SCALA_VERSION=2.13, else its executors die looking for a build
 * directory.
 */
public final class LocalCluster {

    /** Where the cluster keeps pid files, logs, SPARK_HOME and work dirs, and how it is sized. */
    public record Settings(
            Path stateDir,
            int port,
            int webUiPort,
            int workerWebUiPort,
            int workerCores,
            String workerMemory,
            int workers) {
        public Settings(
                Path stateDir, int port, int webUiPort, int workerWebUiPort, int workerCores, String workerMemory) {
            this(stateDir, port, webUiPort, workerWebUiPort, workerCores, workerMemory, 1);
        }

        public String masterUrl() {
            return "spark://127.0.0.1:" + port;
        }
    }

    /** The role of worker {@code i} (0-based): "worker", then "worker-2", "worker-3", … (pid and log file names). */
    static String workerRole(int i) {
        return i == 0 ? "worker" : "worker-" + (i + 1);
    }

    private final Settings s;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public LocalCluster(Settings settings) {
        this.s = settings;
    }

    public boolean running() {
        return pid("master").isPresent();
    }

    /** Starts Master then Worker and waits until the worker has registered; a no-op when already running. */
    public void start(java.io.PrintWriter out) {
        if (running()) {
            out.println("cluster already running: " + s.masterUrl() + " (UI http://127.0.0.1:" + s.webUiPort() + ")");
            return;
        }
        try {
            Files.createDirectories(s.stateDir().resolve("work"));
            Path sparkHome = prepareSparkHome();
            String cp = sparkHome.resolve("jars") + File.separator + "*";
            List<String> master = command(
                    "512m",
                    cp,
                    MAIN_CLASS.get("master"),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    String.valueOf(s.port()),
                    "--webui-port",
                    String.valueOf(s.webUiPort()));
            launch("master", master, sparkHome);
            waitFor(
                    "master",
                    () -> masterState()
                            .map(j -> "ALIVE".equals(j.path("status").asText()))
                            .orElse(false),
                    90);
            for (int i = 0; i < s.workers(); i++) {
                String role = workerRole(i);
                Path work = s.stateDir().resolve(i == 0 ? "work" : "work-" + (i + 1));
                Files.createDirectories(work);
                List<String> worker = command(
                        "512m",
                        cp,
                        MAIN_CLASS.get("worker"),
                        "--host",
                        "127.0.0.1",
                        "--cores",
                        String.valueOf(s.workerCores()),
                        "--memory",
                        s.workerMemory(),
                        "--webui-port",
                        String.valueOf(s.workerWebUiPort() + i),
                        "--work-dir",
                        work.toString(),
                        s.masterUrl());
                launch(role, worker, sparkHome);
            }
            for (int i = 0; i < s.workers(); i++) {
                int expected = i + 1;
                waitFor(workerRole(i), () -> aliveWorkers() >= expected, 90);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println("cluster started: " + s.masterUrl() + " (UI http://127.0.0.1:" + s.webUiPort() + "), "
                + (s.workers() == 1 ? "1 worker with " : s.workers() + " workers with ") + s.workerCores()
                + " cores, " + s.workerMemory() + (s.workers() == 1 ? "" : " each") + "; logs in " + s.stateDir());
    }

    /**
     * Stops Worker then Master (TERM, then KILL after 15 s) — only a process that is still the one we started: a pid
     * file outlives its process, and the pid may since belong to anything else.
     */
    public void stop(java.io.PrintWriter out) {
        boolean any = false;
        List<String> roles = new ArrayList<>(workerRoles());
        roles.add("master");
        for (String role : roles) {
            Optional<Long> recorded = recordedPid(role);
            Optional<ProcessHandle> p = pid(role);
            if (p.isPresent()) {
                any = true;
                p.get().destroy();
                try {
                    p.get().onExit().get(15, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    p.get().destroyForcibly();
                }
            } else if (recorded.isPresent()
                    && ProcessHandle.of(recorded.get())
                            .map(ProcessHandle::isAlive)
                            .orElse(false)) {
                out.println("the " + role + "'s pid file names process " + recorded.get()
                        + ", which is no longer the Spark " + role + " this cluster started: left alone");
            }
            try {
                Files.deleteIfExists(s.stateDir().resolve(role + ".pid"));
            } catch (IOException ignored) {
                // a stale pid file is harmless: pid() checks that the process is ours
            }
        }
        out.println(any ? "cluster stopped" : "cluster was not running");
    }

    /** The workers this cluster has pid files for (however many it was started with), in order. */
    private List<String> workerRoles() {
        List<String> roles = new ArrayList<>();
        try (var files = Files.list(s.stateDir())) {
            files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("worker(-\\d+)?\\.pid"))
                    .map(n -> n.substring(0, n.length() - ".pid".length()))
                    .sorted(java.util.Comparator.comparingInt(
                            r -> r.equals("worker") ? 1 : Integer.parseInt(r.substring("worker-".length()))))
                    .forEach(roles::add);
        } catch (IOException e) {
            roles.add("worker");
        }
        return roles;
    }

    /** Master state from its JSON endpoint, when it answers. */
    public Optional<JsonNode> masterState() {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.webUiPort() + "/json/"))
                    .timeout(Duration.ofSeconds(3))
                    .build();
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            return resp.statusCode() == 200 ? Optional.of(Json.read(resp.body())) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    public int aliveWorkers() {
        return masterState()
                .map(j -> {
                    int n = 0;
                    for (JsonNode w : j.path("workers")) {
                        if ("ALIVE".equals(w.path("state").asText())) {
                            n++;
                        }
                    }
                    return n;
                })
                .orElse(0);
    }

    public Settings settings() {
        return s;
    }

    private List<String> command(String heap, String classpath, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(SparkJvm.java());
        cmd.addAll(SparkJvm.FLAGS);
        cmd.add("-Xmx" + heap);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    private void launch(String role, List<String> cmd, Path sparkHome) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_LOG_DIR", s.stateDir().toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(s.stateDir().resolve(role + ".log").toFile());
        Process p = pb.start();
        Files.writeString(
                s.stateDir().resolve(role + ".pid"),
                p.pid() + "\n"
                        + p.info()
                                .startInstant()
                                .map(java.time.Instant::toString)
                                .orElse("") + "\n");
    }

    private void waitFor(String role, java.util.function.BooleanSupplier ready, int seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (ready.getAsBoolean()) {
                return;
            }
            if (pid(role).isEmpty()) {
                throw new JobFailure(role + " exited during start-up; last log lines:\n" + tail(role));
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new JobFailure(role + " did not come up within " + seconds + " s; see "
                + s.stateDir().resolve(role + ".log"));
    }

    private String tail(String role) {
        try {
            List<String> lines = Files.readAllLines(s.stateDir().resolve(role + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** The Spark main class of each role: how a live process is recognised as the one we started. */
    private static final Map<String, String> MAIN_CLASS = Map.of(
            "master", "org.apache.spark.deploy.master.Master", "worker", "org.apache.spark.deploy.worker.Worker");

    /** The role's process, if the pid file names a live process that is still it (same start time, same main class). */
    private Optional<ProcessHandle> pid(String role) {
        Optional<Long> pid = recordedPid(role);
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        Optional<java.time.Instant> started = recordedStart(role);
        return ProcessHandle.of(pid.get())
                .filter(ProcessHandle::isAlive)
                .filter(h -> isOurs(h, MAIN_CLASS.get(role.startsWith("worker") ? "worker" : role), started));
    }

    static boolean isOurs(ProcessHandle h, String mainClass, Optional<java.time.Instant> started) {
        ProcessHandle.Info info = h.info();
        if (started.isPresent()
                && info.startInstant().isPresent()
                && !info.startInstant().get().equals(started.get())) {
            return false;
        }
        return info.arguments()
                .map(args -> List.of(args).contains(mainClass))
                .orElse(info.commandLine().map(c -> c.contains(mainClass)).orElse(false));
    }

    /** The pid file: the pid, then (since the start-time check) the process's start instant. */
    private Optional<Long> recordedPid(String role) {
        return pidFileLine(role, 0).flatMap(l -> {
            try {
                return Optional.of(Long.parseLong(l.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private Optional<java.time.Instant> recordedStart(String role) {
        return pidFileLine(role, 1).flatMap(l -> {
            try {
                return Optional.of(java.time.Instant.parse(l.trim()));
            } catch (java.time.format.DateTimeParseException e) {
                return Optional.empty();
            }
        });
    }

    private Optional<String> pidFileLine(String role, int line) {
        Path f = s.stateDir().resolve(role + ".pid");
        try {
            List<String> lines = Files.exists(f) ? Files.readAllLines(f) : List.of();
            return lines.size() > line ? Optional.of(lines.get(line)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** SPARK_HOME/jars with a link to every jar of this JVM's classpath except our own (submitted per app). */
    private Path prepareSparkHome() throws IOException {
        Path home = s.stateDir().resolve("spark-home");
        Path jars = home.resolve("jars");
        Files.createDirectories(jars);
        try (var old = Files.list(jars)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Path.of(entry).toAbsolutePath();
            String name = jar.getFileName().toString();
            if (!name.endsWith(".jar") || name.startsWith("tokenmill-") || !Files.isRegularFile(jar)) {
                continue;
            }
            Path link = jars.resolve(name);
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, jar);
            }
        }
        return home;
    }
}
