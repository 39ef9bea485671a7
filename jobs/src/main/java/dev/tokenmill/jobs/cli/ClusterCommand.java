package dev.tokenmill.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.cluster.LocalCluster;
import dev.tokenmill.jobs.util.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description =
                "start|stop|status a Spark standalone cluster on 127.0.0.1 (one master, --workers worker JVMs; use "
                        + "--master spark://127.0.0.1:7077).")
public final class ClusterCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "start|stop|status")
    String action;

    @Option(
            names = "--state-dir",
            description = "Pid files, logs and work dirs (default $TOKENMILL_HOME/.tokenmill/cluster).")
    Path stateDir;

    @Option(names = "--port", defaultValue = "7077", description = "Master port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--webui-port", defaultValue = "8080", description = "Master UI port (default ${DEFAULT-VALUE}).")
    int webUiPort;

    @Option(
            names = "--worker-webui-port",
            defaultValue = "8081",
            description = "Worker UI port (default ${DEFAULT-VALUE}).")
    int workerWebUiPort;

    @Option(
            names = "--workers",
            defaultValue = "1",
            description =
                    "Worker JVMs to start, each with its own cores and memory (default ${DEFAULT-VALUE}); their UIs "
                            + "on consecutive ports from --worker-webui-port.")
    int workers;

    @Option(names = "--worker-cores", description = "Cores each worker offers (default: all cores / workers).")
    Integer workerCores;

    @Option(
            names = "--worker-memory",
            defaultValue = "4g",
            description = "Memory each worker offers (default ${DEFAULT-VALUE}).")
    String workerMemory;

    @Option(names = "--json", description = "status: print JSON.")
    boolean json;

    @Override
    public void run() {
        Path dir = stateDir != null ? stateDir : RunCommand.home().resolve(".tokenmill/cluster");
        if (workers < 1) {
            throw new UserError("cluster: --workers must be at least 1");
        }
        int cores = workerCores != null
                ? workerCores
                : Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
        LocalCluster cluster = new LocalCluster(new LocalCluster.Settings(
                dir.toAbsolutePath(), port, webUiPort, workerWebUiPort, cores, workerMemory, workers));
        var out = spec.commandLine().getOut();
        switch (action) {
            case "start" -> cluster.start(out);
            case "stop" -> cluster.stop(out);
            case "status" -> status(cluster, out);
            default -> throw new UserError("cluster: unknown action '" + action + "' (use start, stop or status)");
        }
        out.flush();
    }

    private void status(LocalCluster cluster, java.io.PrintWriter out) {
        Optional<JsonNode> state = cluster.running() ? cluster.masterState() : Optional.empty();
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("running", state.isPresent());
        st.put("master", cluster.settings().masterUrl());
        st.put("ui", "http://127.0.0.1:" + cluster.settings().webUiPort());
        st.put("alive_workers", state.isPresent() ? cluster.aliveWorkers() : 0);
        state.ifPresent(j -> {
            st.put("cores", j.path("cores").asInt());
            st.put("memory_mb", j.path("memory").asInt());
            st.put("active_apps", j.path("activeapps").size());
        });
        if (json) {
            out.println(Json.pretty(st));
        } else if (state.isPresent()) {
            out.printf(
                    "cluster running: %s, %d alive worker(s), %d cores, %d MB, %d active app(s); UI %s%n",
                    st.get("master"),
                    st.get("alive_workers"),
                    st.get("cores"),
                    st.get("memory_mb"),
                    st.get("active_apps"),
                    st.get("ui"));
        } else {
            out.println("cluster not running (start it with: tokenmill cluster start)");
        }
    }
}
