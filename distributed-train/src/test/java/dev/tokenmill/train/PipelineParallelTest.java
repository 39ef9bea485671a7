package dev.tokenmill.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.tokenmill.train.ckpt.Checkpoints;
import dev.tokenmill.train.dist.Collective;
import dev.tokenmill.train.dist.Topology;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipeline stages (threads linked over TCP) compute the gradients of the unsplit model, with both schedules. */
class PipelineParallelTest {
    @TempDir
    Path dir;

    private static final TrainConfig CONFIG =
            TinyData.train().withSteps(3).withBatch(2, 4).withEval(3, 8).withCheckpoints(3, 1);

    private static Map<String, float[]> unsplit(Path run, List<Double> losses) {
        try (Trainer t = new Trainer(
                TinyData.model(),
                CONFIG,
                TinyData.samples(96, 17, 64, 3),
                run,
                Collective.single(),
                new PrintWriter(new StringWriter()),
                Map.of(),
                0,
                Device.cpu())) {
            t.keepGradients();
            losses.addAll(t.run(false).losses());
            return t.lastGradients();
        }
    }

    /** Runs dp × pp ranks as threads; returns every rank's last gradients merged by name, and rank 0's losses. */
    private Map<String, float[]> layout(int dp, int pp, Topology.Schedule schedule, Path run, List<Double> losses)
            throws Exception {
        int world = dp * pp;
        ThreadRendezvous rv = new ThreadRendezvous(world);
        ExecutorService pool = Executors.newFixedThreadPool(world);
        List<Future<Map<String, Object>>> ranks = new ArrayList<>();
        for (int r = 0; r < world; r++) {
            int rank = r;
            ranks.add(pool.submit(() -> {
                try (Topology topo = Topology.connect(rank, dp, pp, "127.0.0.1", rv.forRank(rank), schedule);
                        Trainer t = new Trainer(
                                TinyData.model(),
                                CONFIG.withBatch(2, 4 / dp),
                                TinyData.samples(96, 17, 64, 3),
                                run,
                                topo,
                                new PrintWriter(new StringWriter()),
                                Map.of(),
                                0,
                                Device.cpu())) {
                    t.keepGradients();
                    Trainer.Result res = t.run(false);
                    return Map.of("grads", t.lastGradients(), "losses", res.losses());
                }
            }));
        }
        Map<String, float[]> merged = new HashMap<>();
        for (int r = 0; r < world; r++) {
            @SuppressWarnings("unchecked")
            Map<String, float[]> g = (Map<String, float[]>) ranks.get(r).get().get("grads");
            merged.putAll(g);
            if (r == 0) {
                @SuppressWarnings("unchecked")
                List<Double> l = (List<Double>) ranks.get(r).get().get("losses");
                losses.addAll(l);
            }
        }
        pool.shutdown();
        return merged;
    }

    @Test
    void pipelineStagesMatchTheUnsplitModel() throws Exception {
        List<Double> reference = new ArrayList<>();
        Map<String, float[]> whole = unsplit(dir.resolve("whole"), reference);
        for (Topology.Schedule schedule : Topology.Schedule.values()) {
            for (int[] layout : new int[][] {{1, 2}, {2, 2}}) {
                List<Double> losses = new ArrayList<>();
                Path run = dir.resolve(schedule + "-" + layout[0] + "x" + layout[1]);
                Map<String, float[]> split = layout(layout[0], layout[1], schedule, run, losses);
                assertEquals(whole.keySet(), split.keySet());
                double worst = 0;
                for (Map.Entry<String, float[]> e : whole.entrySet()) {
                    float[] other = split.get(e.getKey());
                    for (int i = 0; i < other.length; i++) {
                        worst = Math.max(worst, Math.abs(other[i] - e.getValue()[i]));
                    }
                }
                String what = schedule + " dp " + layout[0] + " × pp " + layout[1];
                assertTrue(worst < 1e-6, what + ": largest gradient difference at step 3: " + worst);
                for (int i = 0; i < reference.size(); i++) {
                    assertEquals(reference.get(i), losses.get(i), 1e-5, what + " loss at step " + (i + 1));
                }
                // one checkpoint with a shard per rank, holding every tensor of the unsplit model's checkpoint
                Path ckpt = Checkpoints.latest(run).orElseThrow();
                int writers = layout[0] * layout[1];
                assertTrue(Files.exists(ckpt.resolve(Checkpoints.shardName("model", writers - 1, writers))), what);
                assertEquals(
                        Map.of("dp", layout[0], "pp", layout[1]),
                        Checkpoints.state(ckpt).get("world"));
                List<String> names = new ArrayList<>(whole.keySet());
                Map<String, float[]> ours = Checkpoints.read(ckpt, "model", names);
                Map<String, float[]> ref = Checkpoints.read(
                        Checkpoints.latest(dir.resolve("whole")).orElseThrow(), "model", names);
                for (String n : names) {
                    for (int i = 0; i < ref.get(n).length; i++) {
                        assertEquals(ref.get(n)[i], ours.get(n)[i], 1e-5, what + " " + n);
                    }
                }
            }
        }
    }
}
