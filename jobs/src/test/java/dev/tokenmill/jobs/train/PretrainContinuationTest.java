package dev.tokenmill.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.jobs.TestLake;
import dev.tokenmill.train.Metrics;
import dev.tokenmill.train.ckpt.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run folder is never cleared behind the user's back: changed continuation settings (steps, cadences, dp × pp)
 * resume from the latest checkpoint, a changed identity is refused with the differing keys, and {@code --force}
 * moves the old run aside ({@code --force --delete} deletes it).
 */
class PretrainContinuationTest {
    private static final String[] MODEL = {
        "--param",
        "layers=2",
        "--param",
        "d_model=32",
        "--param",
        "heads=4",
        "--param",
        "kv_heads=2",
        "--param",
        "seq_len=32",
        "--param",
        "warmup_steps=2",
        "--param",
        "lr=0.01",
        "--param",
        "eval_every=0",
        "--param",
        "checkpoint_every=4",
        "--param",
        "keep_checkpoints=3"
    };

    @TempDir
    Path tmp;

    @Test
    void continuationSettingsResumeAndIdentityChangesAreRefused() throws Exception {
        Path lake = tmp.resolve("lake");
        PretrainFixture.documents(lake);
        Path recipe = TestLake.write(
                tmp.resolve("tokens.yaml"), "name: tokens\nseed: 5\nstages:\n" + PretrainFixture.TOKENS_STAGES);
        assertEquals(0, TestLake.cli(lake, "run", recipe.toString()).code());
        Path run = lake.resolve("runs/c");

        // eight steps at dp 2 (global batch 2 × 4); no evaluation, and the summary says so instead of "NaN"
        TestLake.Run first = pretrain(lake, "runs/c", "--dp", "2", "--steps", "8", "--param", "micro_batch=4");
        assertEquals(0, first.code(), first.err() + first.out());
        assertTrue(first.out().contains("steps 0 → 8") && first.out().contains("no held-out evaluation"), first.out());
        assertFalse(first.out().contains("NaN"), first.out());
        List<Double> uninterrupted = losses(run);
        assertEquals(8, uninterrupted.size());

        // as if killed after step 4; then resumed at dp 1 with grad_accum 2 (same global batch) and another log
        // cadence: the checkpoint is resharded and steps 5–8 give the dp 2 run's losses
        deleteTree(Checkpoints.root(run).resolve("step-00000008"));
        Files.writeString(Checkpoints.root(run).resolve(Checkpoints.LATEST), "step-00000004\n");
        TestLake.Run resharded = pretrain(
                lake,
                "runs/c",
                "--dp",
                "1",
                "--steps",
                "8",
                "--param",
                "micro_batch=4",
                "--param",
                "grad_accum=2",
                "--param",
                "log_every=1");
        assertEquals(0, resharded.code(), resharded.err() + resharded.out());
        assertTrue(
                resharded.out().contains("continuing step-00000004 with")
                        && resharded.out().contains("dp 2 → 1")
                        && resharded.out().contains("steps 4 → 8"),
                resharded.out());
        List<Double> after = losses(run);
        assertEquals(8, after.size());
        for (int i = 0; i < 8; i++) {
            assertEquals(uninterrupted.get(i), after.get(i), 1e-5, "step " + (i + 1));
        }

        // more steps and a pipeline of two stages: the run goes on from step 8, steps 1–8 stay as they were
        TestLake.Run extended = pretrain(
                lake, "runs/c", "--pp", "2", "--steps", "10", "--param", "micro_batch=4", "--param", "grad_accum=2");
        assertEquals(0, extended.code(), extended.err() + extended.out());
        assertTrue(extended.out().contains("steps 8 → 10") && extended.out().contains("pp 1 → 2"), extended.out());
        List<Double> extendedLosses = losses(run);
        assertEquals(10, extendedLosses.size());
        assertEquals(after, extendedLosses.subList(0, 8));
        assertEquals(List.of("step-00000004", "step-00000008", "step-00000010"), checkpoints(run));

        // another learning rate is another run: refused, naming the key, nothing touched
        TestLake.Run otherLr = pretrain(
                lake,
                "runs/c",
                "--steps",
                "12",
                "--param",
                "micro_batch=4",
                "--param",
                "grad_accum=2",
                "--param",
                "lr=0.02");
        assertEquals(2, otherLr.code(), otherLr.out());
        assertTrue(
                otherLr.errLine().contains("holds another run (lr 0.01 → 0.02)")
                        && otherLr.errLine().contains("--force"),
                otherLr.errLine());
        TestLake.Run otherBatch = pretrain(lake, "runs/c", "--steps", "12", "--param", "micro_batch=4");
        assertEquals(2, otherBatch.code(), otherBatch.out());
        assertTrue(
                otherBatch.errLine().contains("global_batch (micro_batch × grad_accum × dp) 8 → 4"),
                otherBatch.errLine());
        assertEquals(extendedLosses, losses(run));

        // --force starts over and keeps the old run under replaced/
        TestLake.Run forced =
                pretrain(lake, "runs/c", "--steps", "4", "--param", "micro_batch=4", "--param", "lr=0.02", "--force");
        assertEquals(0, forced.code(), forced.err() + forced.out());
        assertTrue(forced.out().contains("steps 0 → 4") && forced.out().contains("moved to"), forced.out());
        List<Path> replaced;
        try (var l = Files.list(run.resolve("replaced"))) {
            replaced = l.toList();
        }
        assertEquals(1, replaced.size());
        assertEquals(List.of("step-00000004", "step-00000008", "step-00000010"), checkpoints(replaced.get(0)));
        assertEquals(
                10,
                Metrics.read(replaced.get(0)).stream()
                        .filter(n -> n.has("loss"))
                        .count());
        assertEquals(4, losses(run).size());

        // --delete only with --force; with it the old run is gone
        assertEquals(2, pretrain(lake, "runs/c", "--steps", "4", "--delete").code());
        TestLake.Run deleted =
                pretrain(lake, "runs/c", "--steps", "2", "--param", "micro_batch=4", "--force", "--delete");
        assertEquals(0, deleted.code(), deleted.err() + deleted.out());
        assertTrue(deleted.out().contains("deleted"), deleted.out());
        assertEquals(List.of("step-00000002"), checkpoints(run));
        try (var l = Files.list(run.resolve("replaced"))) {
            assertEquals(1, l.count(), "the earlier replaced run is still there");
        }
    }

    private static TestLake.Run pretrain(Path lake, String output, String... args) {
        List<String> all = new ArrayList<>(List.of("pretrain", "tokens/t", "--output", output));
        all.addAll(List.of(MODEL));
        all.addAll(List.of(args));
        return TestLake.cli(lake, all.toArray(String[]::new));
    }

    private static List<Double> losses(Path run) {
        return Metrics.read(run).stream()
                .filter(n -> n.has("loss"))
                .map(n -> n.get("loss").asDouble())
                .toList();
    }

    private static List<String> checkpoints(Path run) throws Exception {
        try (var l = Files.list(Checkpoints.root(run))) {
            return l.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("step-"))
                    .sorted()
                    .toList();
        }
    }

    private static void deleteTree(Path p) throws Exception {
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
