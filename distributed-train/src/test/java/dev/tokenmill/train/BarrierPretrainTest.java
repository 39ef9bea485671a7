package dev.tokenmill.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.tokenmill.tokenizer.pack.MegatronWriter;
import dev.tokenmill.train.ckpt.Checkpoints;
import dev.tokenmill.train.data.PackedSamples;
import dev.tokenmill.train.dist.Collective;
import dev.tokenmill.train.spark.BarrierPretrain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DP=2 as a real Spark barrier stage on local[2]: ranks from partition ids, rendezvous through allGather. */
class BarrierPretrainTest {
    private static JavaSparkContext sc;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(new SparkConf()
                .setMaster("local[2]")
                .setAppName("barrier-test")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    @Test
    void dataParallelBarrierStageMatchesOneProcess() throws Exception {
        Path prefix = dir.resolve("data/tiny");
        java.nio.file.Files.createDirectories(prefix.getParent());
        // packed samples of 2 × 16 + 1 tokens: each gives two training windows of 16 + 1
        try (PackedSamples raw = TinyData.samples(48, 33, 64, 3);
                MegatronWriter w = new MegatronWriter(prefix, 64, 33)) {
            for (int i = 0; i < raw.size(); i++) {
                w.add(raw.tokens(i, 33));
            }
        }
        TrainConfig cfg = TinyData.train().withSteps(6).withCheckpoints(6, 1);
        BarrierPretrain.Outcome dp2 = BarrierPretrain.run(
                sc,
                new BarrierPretrain.Job(
                        TinyData.model(),
                        cfg.withBatch(4, 1),
                        prefix.toString(),
                        dir.resolve("run-dp2").toString(),
                        null,
                        Map.of(),
                        2,
                        1,
                        dev.tokenmill.train.dist.Topology.Schedule.ONE_F_ONE_B,
                        false,
                        Map.of("tokenizer_sha256", "test"),
                        1,
                        0));
        List<Double> single;
        try (PackedSamples data = PackedSamples.megatron(prefix, 16);
                Trainer t = new Trainer(
                        TinyData.model(),
                        cfg.withBatch(4, 2),
                        data,
                        dir.resolve("run-1"),
                        Collective.single(),
                        new PrintWriter(new StringWriter()),
                        Map.of(),
                        0,
                        Device.cpu())) {
            assertEquals(96, data.size());
            single = t.run(false).losses();
        }
        assertEquals(6, dp2.losses().size());
        for (int i = 0; i < single.size(); i++) {
            assertEquals(single.get(i), dp2.losses().get(i), 1e-5, "step " + (i + 1));
        }
        Path ckpt = Checkpoints.latest(dir.resolve("run-dp2")).orElseThrow();
        Map<String, Object> state = Checkpoints.state(ckpt);
        assertEquals(6, ((Number) state.get("step")).intValue());
        assertEquals(48, ((Number) state.get("consumed_samples")).intValue());
        assertEquals("test", state.get("tokenizer_sha256"));
        assertEquals(Map.of("dp", 2, "pp", 1), state.get("world"));
    }

    @Test
    void tooFewSlotsFailFastWithAClearMessage() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> BarrierPretrain.checkSlots(sc, 3));
        assertTrue(
                e.getMessage().contains("needs 3 concurrent task slots")
                        && e.getMessage().contains("Spark has 2"),
                e.getMessage());
    }
}
