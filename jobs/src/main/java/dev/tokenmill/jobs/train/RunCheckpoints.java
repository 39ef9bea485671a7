package dev.tokenmill.jobs.train;

import dev.tokenmill.train.ckpt.Checkpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The complete checkpoints of a run directory, oldest first, with what each holds (for the report and notebooks). */
public final class RunCheckpoints {
    private RunCheckpoints() {}

    /** One checkpoint: its folder name, the state it recorded, and its files on disk. */
    public record Entry(String name, long step, long consumedSamples, String world, int files, long bytes) {}

    public static List<Entry> list(Path runDir) {
        Path root = Checkpoints.root(runDir);
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return entries;
        }
        try (var dirs = Files.list(root)) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().startsWith("step-")
                            && !p.toString().endsWith(".tmp"))
                    .sorted()
                    .toList()) {
                Map<String, Object> state = Checkpoints.state(d);
                long bytes = 0;
                int files = 0;
                try (var fs = Files.list(d)) {
                    for (Path f : fs.toList()) {
                        bytes += Files.size(f);
                        files++;
                    }
                }
                entries.add(new Entry(
                        d.getFileName().toString(),
                        ((Number) state.get("step")).longValue(),
                        ((Number) state.get("consumed_samples")).longValue(),
                        String.valueOf(state.get("world")),
                        files,
                        bytes));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoints in " + root, e);
        }
        return entries;
    }
}
