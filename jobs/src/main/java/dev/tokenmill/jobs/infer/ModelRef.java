package dev.tokenmill.jobs.infer;

import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.train.Pretrain;
import dev.tokenmill.jobs.train.RunCheckpoints;
import dev.tokenmill.jobs.util.Json;
import dev.tokenmill.train.ckpt.Checkpoints;
import dev.tokenmill.train.infer.CheckpointModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoints a model step reads — a run folder's latest, the one of a step, or every kept one; or a checkpoint
 * folder — named lake-relative or absolute, with their tokenizer and the stamps (step, hash of the recorded state)
 * that put a new checkpoint into the step's fingerprint. One-line {@link IllegalArgumentException}s otherwise.
 */
public final class ModelRef {
    private final Lake lake;
    private final String tokenizer;
    private final List<Path> checkpoints;

    public ModelRef(Lake lake, String checkpoint, Integer step, boolean all, String tokenizer) {
        this.lake = lake;
        this.tokenizer = tokenizer;
        if (step != null && all) {
            throw new IllegalArgumentException("give step or all_checkpoints, not both");
        }
        Path base = local(checkpoint);
        if (!Files.exists(base)) {
            throw new IllegalArgumentException("no run or checkpoint at " + base);
        }
        if (all) {
            if (!Files.isDirectory(Checkpoints.root(base))) {
                throw new IllegalArgumentException("all_checkpoints needs a run folder; " + base + " is not one");
            }
            checkpoints = RunCheckpoints.list(base).stream()
                    .map(e -> Checkpoints.root(base).resolve(e.name()))
                    .toList();
            if (checkpoints.isEmpty()) {
                throw new IllegalArgumentException("no complete checkpoint in " + base);
            }
        } else {
            checkpoints = List.of(CheckpointModel.resolve(base, step == null ? null : (long) step));
        }
    }

    /** A lake-relative name or a path, as a local path. */
    public Path local(String name) {
        Path p = Path.of(name);
        if (Files.exists(p) && p.isAbsolute()) {
            return p;
        }
        String location = lake.locate(name).path();
        if (dev.tokenmill.train.ckpt.RemoteRunFolder.isRemote(location)) {
            // a run on object storage: its committed checkpoints, read from this machine's staging copy
            var remote = new dev.tokenmill.train.ckpt.RemoteRunFolder(location, lake.hadoopConf());
            Path staging = dev.tokenmill.train.ckpt.RemoteRunFolder.staging(location);
            remote.pullEveryCheckpoint(staging);
            return staging;
        }
        return Pretrain.localFolder(location);
    }

    public List<Path> checkpoints() {
        return checkpoints;
    }

    public static long step(Path checkpoint) {
        return ((Number) Checkpoints.state(checkpoint).get("step")).longValue();
    }

    /** The tokenizer.json for a checkpoint: the one given, else the checkpoint's, else its run's. */
    public Path tokenizerFile(Path checkpoint) {
        return CheckpointModel.tokenizerFile(checkpoint, tokenizer == null ? null : local(tokenizer));
    }

    /** Each checkpoint's step and a hash of its recorded state (which names the run and the step). */
    public List<Map<String, Object>> stamps() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Path c : checkpoints) {
            Map<String, Object> state = Checkpoints.state(c);
            Map<String, Object> stamp = new LinkedHashMap<>();
            stamp.put("step", state.get("step"));
            stamp.put("state_sha256", Json.fingerprint(state));
            out.add(stamp);
        }
        return out;
    }
}
