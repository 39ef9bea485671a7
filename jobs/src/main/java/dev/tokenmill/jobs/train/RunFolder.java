package dev.tokenmill.jobs.train;

import dev.tokenmill.train.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a run folder holds of one run (checkpoints, metrics, loss curve), and how a new run takes its place: the old
 * files are moved under {@code replaced/<UTC time>/}, and deleted only when the user asked for it.
 */
final class RunFolder {
    static final String REPLACED = "replaced";
    private static final List<String> RUN_FILES = List.of("checkpoints", Metrics.FILE, "loss.png");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private RunFolder() {}

    /**
     * Clears the way for a run from step 0. Returns what happened to the old files ("moved to …" or "deleted"),
     * or empty when there were none.
     */
    static Optional<String> setAside(Path runDir, boolean delete) {
        List<Path> present =
                RUN_FILES.stream().map(runDir::resolve).filter(Files::exists).toList();
        if (present.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (delete) {
                for (Path p : present) {
                    deleteTree(p);
                }
                return Optional.of("deleted");
            }
            Path target = freshFolder(runDir.resolve(REPLACED), STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)));
            for (Path p : present) {
                Files.move(p, target.resolve(p.getFileName()));
            }
            return Optional.of("moved to " + target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the earlier run in " + runDir + " aside: " + e.getMessage(), e);
        }
    }

    private static Path freshFolder(Path parent, String name) throws IOException {
        Files.createDirectories(parent);
        for (int i = 0; ; i++) {
            Path p = parent.resolve(i == 0 ? name : name + "-" + i);
            try {
                return Files.createDirectory(p);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // two replacements within one second: take the next suffix
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
