package dev.tokenmill.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.tokenmill.train.ckpt.Checkpoints;
import dev.tokenmill.train.dist.Collective;
import dev.tokenmill.train.dist.TcpRing;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two data-parallel ranks (threads joined by the TCP ring) train exactly what one process does with the same global batch. */
class DataParallelTest {
    @TempDir
    Path dir;

    /** Runs {@code dp} ranks as threads; returns rank 0's final parameters and losses. */
    private Map<String, Object> runRanks(int dp, TrainConfig cfg, Path run, boolean resume) throws Exception {
        ThreadRendezvous rv = new ThreadRendezvous(dp);
        ExecutorService pool = Executors.newFixedThreadPool(dp);
        List<Future<Map<String, Object>>> ranks = new ArrayList<>();
        for (int r = 0; r < dp; r++) {
            int rank = r;
            ranks.add(pool.submit(() -> {
                try (TcpRing ring = new TcpRing(rank, dp, "127.0.0.1", rv.forRank(rank));
                        Trainer t = new Trainer(
                                TinyData.model(),
                                cfg,
                                TinyData.samples(96, 17, 64, 3),
                                run,
                                ring,
                                new PrintWriter(new StringWriter()),
                                Map.of(),
                                0,
                                Device.cpu())) {
                    Trainer.Result res = t.run(resume);
                    return Map.of("params", TinyData.params(t), "losses", res.losses());
                }
            }));
        }
        Map<String, Object> first = ranks.get(0).get();
        for (Future<Map<String, Object>> f : ranks) {
            f.get();
        }
        pool.shutdown();
        return first;
    }

    @Test
    @SuppressWarnings("unchecked")
    void twoRanksMatchOneProcessWithTheSameGlobalBatch() throws Exception {
        TrainConfig base = TinyData.train().withSteps(8).withCheckpoints(4, 3);
        Map<String, float[]> single;
        List<Double> singleLosses;
        try (Trainer t = new Trainer(
                TinyData.model(),
                base.withBatch(4, 2),
                TinyData.samples(96, 17, 64, 3),
                dir.resolve("single"),
                Collective.single(),
                new PrintWriter(new StringWriter()),
                Map.of(),
                0,
                Device.cpu())) {
            singleLosses = t.run(false).losses();
            single = TinyData.params(t);
        }
        Map<String, Object> dp = runRanks(2, base.withBatch(4, 1), dir.resolve("dp2"), false);
        Map<String, float[]> dpParams = (Map<String, float[]>) dp.get("params");
        double worst = 0;
        for (Map.Entry<String, float[]> e : single.entrySet()) {
            float[] other = dpParams.get(e.getKey());
            for (int i = 0; i < other.length; i++) {
                worst = Math.max(worst, Math.abs(other[i] - e.getValue()[i]));
            }
        }
        assertTrue(worst < 1e-5, "largest parameter difference after 8 steps: " + worst);
        List<Double> dpLosses = (List<Double>) dp.get("losses");
        for (int i = 0; i < singleLosses.size(); i++) {
            assertEquals(singleLosses.get(i), dpLosses.get(i), 1e-5);
        }
        // the DP=2 checkpoint has two shards per kind and resumes at DP=1 (same global batch) to the same end state
        Path ckpt = Checkpoints.latest(dir.resolve("dp2")).orElseThrow();
        assertTrue(Files.exists(ckpt.resolve("model-00002-of-00002.safetensors")));
        assertTrue(Files.exists(ckpt.resolve("optimizer-00002-of-00002.safetensors")));
        Path resumed = dir.resolve("resumed");
        Files.createDirectories(Checkpoints.root(resumed));
        copyTree(
                Checkpoints.root(dir.resolve("dp2")).resolve("step-00000004"),
                Checkpoints.root(resumed).resolve("step-00000004"));
        Files.writeString(Checkpoints.root(resumed).resolve(Checkpoints.LATEST), "step-00000004\n");
        try (Trainer t = new Trainer(
                TinyData.model(),
                base.withBatch(4, 2),
                TinyData.samples(96, 17, 64, 3),
                resumed,
                Collective.single(),
                new PrintWriter(new StringWriter()),
                Map.of(),
                0,
                Device.cpu())) {
            List<Double> rest = t.run(true).losses();
            assertEquals(4, rest.size());
            for (int i = 0; i < 4; i++) {
                assertEquals(singleLosses.get(4 + i), rest.get(i), 1e-5);
            }
            TinyData.params(t).forEach((k, v) -> {
                float[] s = single.get(k);
                for (int i = 0; i < v.length; i++) {
                    assertEquals(s[i], v[i], 1e-5, k);
                }
            });
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }
}
