package dev.tokenmill.train.ckpt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * A run folder on any Hadoop file system ({@code s3a://}, {@code hdfs://}), mirrored from a local staging folder on
 * each machine: the trainer reads and writes the staging folder as before, and this class moves what must survive
 * the machine. Object stores have no atomic rename, so a checkpoint is committed by objects written last: every rank
 * uploads its own shards (S3A uploads large files in multipart parts), then rank 0 uploads the index, config and
 * {@code train_state.json}, then the step's {@code COMMITTED} marker, then the run's {@code checkpoints/latest}
 * pointer. A step folder without its marker (a run killed while uploading) is never resumed from.
 */
public final class RemoteRunFolder {
    /** Written last into a step folder: the checkpoint is complete. */
    public static final String COMMITTED = "COMMITTED";

    private final String uri;
    private final org.apache.hadoop.fs.Path root;
    private final FileSystem fs;

    public RemoteRunFolder(String uri, Configuration conf) {
        this.uri = uri.replaceAll("/+$", "");
        this.root = new org.apache.hadoop.fs.Path(this.uri);
        try {
            this.fs = root.getFileSystem(conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + uri + ": " + e.getMessage(), e);
        }
    }

    /** True for a location with a scheme other than {@code file:}: a folder the JVM cannot write with java.nio. */
    public static boolean isRemote(String location) {
        return location != null && location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !location.startsWith("file:");
    }

    /**
     * The staging folder of a remote run on this machine: under {@code java.io.tmpdir}, named by a hash of the URI,
     * so the driver and every rank on one machine share it and two runs never do.
     */
    public static Path staging(String uri) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest(uri.replaceAll("/+$", "").getBytes(StandardCharsets.UTF_8));
            String name = HexFormat.of().formatHex(h).substring(0, 16);
            return Path.of(System.getProperty("java.io.tmpdir"), "tokenmill-runs", name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String uri() {
        return uri;
    }

    /** The {@code fs.*} settings of {@code conf}: what a process on another machine needs to open the same URI. */
    public static java.util.Map<String, String> fileSystemSettings(Configuration conf) {
        java.util.Map<String, String> m = new java.util.TreeMap<>();
        for (java.util.Map.Entry<String, String> e : conf) {
            if (e.getKey().startsWith("fs.")) {
                m.put(e.getKey(), conf.get(e.getKey()));
            }
        }
        return m;
    }

    private org.apache.hadoop.fs.Path remote(String relative) {
        return new org.apache.hadoop.fs.Path(root, relative);
    }

    private static String stepFolder(long step) {
        return "checkpoints/" + Checkpoints.dirName(step);
    }

    /** The newest committed checkpoint's step: the {@code latest} pointer if its marker is there, else a scan. */
    public Optional<Long> latestCommitted() {
        try {
            org.apache.hadoop.fs.Path pointer = remote("checkpoints/" + Checkpoints.LATEST);
            if (fs.exists(pointer)) {
                String name = read(pointer).strip();
                if (name.startsWith("step-") && fs.exists(remote("checkpoints/" + name + "/" + COMMITTED))) {
                    return Optional.of(Long.parseLong(name.substring(5)));
                }
            }
            List<Long> committed = committedSteps();
            return committed.isEmpty() ? Optional.empty() : Optional.of(committed.get(committed.size() - 1));
        } catch (IOException e) {
            throw failure("read checkpoints of", e);
        }
    }

    /** Every step folder with its marker, ascending. */
    List<Long> committedSteps() throws IOException {
        List<Long> steps = new ArrayList<>();
        org.apache.hadoop.fs.Path dir = remote("checkpoints");
        if (!fs.exists(dir)) {
            return steps;
        }
        for (FileStatus st : fs.listStatus(dir)) {
            String name = st.getPath().getName();
            if (st.isDirectory()
                    && name.matches("step-\\d+")
                    && fs.exists(new org.apache.hadoop.fs.Path(st.getPath(), COMMITTED))) {
                steps.add(Long.parseLong(name.substring(5)));
            }
        }
        steps.sort(null);
        return steps;
    }

    /**
     * Makes the staging folder match the remote run: the latest committed checkpoint (downloaded unless already
     * there) becomes the local {@code latest}, or no local {@code latest} when the remote run has none; the remote
     * {@code metrics.jsonl} and tokenizer files replace local ones; {@code files} (run-relative paths, e.g. the
     * training data) are downloaded when missing or of another size. Safe when several processes of one machine
     * pull into the same folder at once: every file arrives under a temporary name and is renamed into place.
     */
    public void pull(Path local, List<String> files) {
        // one pull at a time per staging folder: threads of this JVM (local mode) and processes of this machine
        synchronized (RemoteRunFolder.class) {
            try {
                Files.createDirectories(Checkpoints.root(local));
            } catch (IOException e) {
                throw failure("create the staging folder " + local + " for", e);
            }
            try (var channel = java.nio.channels.FileChannel.open(
                            local.resolve(".pull.lock"),
                            java.nio.file.StandardOpenOption.CREATE,
                            java.nio.file.StandardOpenOption.WRITE);
                    var lock = channel.lock()) {
                pullLocked(local, files);
            } catch (IOException e) {
                throw failure("lock the staging folder " + local + " for", e);
            }
        }
    }

    private void pullLocked(Path local, List<String> files) {
        try {
            for (String f : files) {
                download(remote(f), local.resolve(f), false);
            }
            List<String> always = new ArrayList<>(Checkpoints.TOKENIZER_FILES);
            always.add("metrics.jsonl");
            for (String f : always) {
                if (fs.exists(remote(f))) {
                    download(remote(f), local.resolve(f), true);
                }
            }
            Optional<Long> step = latestCommitted();
            Path pointer = Checkpoints.root(local).resolve(Checkpoints.LATEST);
            if (step.isEmpty()) {
                Files.deleteIfExists(pointer);
                return;
            }
            String name = Checkpoints.dirName(step.get());
            pullCheckpoint(local, step.get());
            Path tmp = Checkpoints.root(local).resolve(Checkpoints.LATEST + ".pull-" + unique());
            Files.writeString(tmp, name + "\n");
            Files.move(tmp, pointer, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw failure("pull the run from", e);
        }
    }

    /**
     * {@link #pull} with the run's training data (its held-out windows are what {@code eval} scores) and every other
     * committed checkpoint too: what reading the run on another machine needs.
     */
    public void pullEveryCheckpoint(Path local) {
        try {
            List<String> data = new ArrayList<>();
            if (fs.exists(remote("data"))) {
                for (FileStatus st : fs.listStatus(remote("data"))) {
                    if (st.isFile()) {
                        data.add("data/" + st.getPath().getName());
                    }
                }
            }
            pull(local, data);
            for (long step : committedSteps()) {
                pullCheckpoint(local, step);
            }
        } catch (IOException e) {
            throw failure("pull the checkpoints of", e);
        }
    }

    private void pullCheckpoint(Path local, long step) throws IOException {
        String name = Checkpoints.dirName(step);
        Path target = Checkpoints.root(local).resolve(name);
        if (Files.exists(target.resolve(Checkpoints.STATE))) {
            // a staging folder outlives runs: the local copy counts only if it is this checkpoint
            byte[] remoteState;
            try (var in = fs.open(remote(stepFolder(step) + "/" + Checkpoints.STATE))) {
                remoteState = in.readAllBytes();
            }
            if (java.util.Arrays.equals(remoteState, Files.readAllBytes(target.resolve(Checkpoints.STATE)))) {
                return;
            }
            Path stale = Checkpoints.root(local).resolve(name + ".stale-" + unique());
            try {
                Files.move(target, stale, StandardCopyOption.ATOMIC_MOVE);
                Checkpoints.deleteTree(stale);
            } catch (java.nio.file.NoSuchFileException raced) {
                // another process of this machine moved it first
            }
        }
        Path part = Checkpoints.root(local).resolve(name + ".pull-" + unique());
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(remote(stepFolder(step)), false);
        while (it.hasNext()) {
            LocatedFileStatus st = it.next();
            download(st.getPath(), part.resolve(st.getPath().getName()), true);
        }
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
            // another process of this machine pulled the same checkpoint first
            Checkpoints.deleteTree(part);
            if (!Files.exists(target.resolve(Checkpoints.STATE))) {
                throw raced;
            }
        }
    }

    private void download(org.apache.hadoop.fs.Path from, Path to, boolean always) throws IOException {
        if (!always
                && Files.exists(to)
                && fs.exists(from)
                && Files.size(to) == fs.getFileStatus(from).getLen()) {
            return;
        }
        if (!fs.exists(from)) {
            return;
        }
        Files.createDirectories(to.getParent());
        Path part = to.resolveSibling(to.getFileName() + ".part-" + unique());
        fs.copyToLocalFile(false, from, new org.apache.hadoop.fs.Path(part.toUri()), true);
        Files.move(part, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Uploads a local file to {@code relative} in the remote run folder (overwriting). */
    public void push(Path file, String relative) {
        try {
            fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(file.toUri()), remote(relative));
        } catch (IOException e) {
            throw failure("upload " + relative + " to", e);
        }
    }

    /**
     * Uploads a local file to {@code relative} unless the remote run already has it at the same size: what a run
     * needs there whichever machine made it (a staging folder may hold it from an earlier run of the same URI).
     */
    public void ensure(Path file, String relative) {
        try {
            org.apache.hadoop.fs.Path target = remote(relative);
            if (fs.exists(target) && fs.getFileStatus(target).getLen() == Files.size(file)) {
                return;
            }
        } catch (IOException e) {
            throw failure("check " + relative + " in", e);
        }
        push(file, relative);
    }

    /** Uploads one file of a checkpoint being written (before it is committed). */
    void pushCheckpointFile(Path file, long step) {
        push(file, stepFolder(step) + "/" + file.getFileName());
    }

    /** The local copy of a remote checkpoint file, downloaded if this machine does not have it. */
    Path fetchCheckpointFile(Path localDir, String name, long step) {
        Path local = localDir.resolve(name);
        try {
            if (!Files.exists(local)) {
                download(remote(stepFolder(step) + "/" + name), local, true);
            }
            return local;
        } catch (IOException e) {
            throw failure("download " + name + " from", e);
        }
    }

    /**
     * Commits a checkpoint whose shards every rank has uploaded: uploads rank 0's {@code files} of it and the run's
     * {@code metrics.jsonl}, writes the marker, moves the pointer, and drops committed checkpoints beyond the newest
     * {@code keep} and uncommitted step folders older than this one (the leftovers of a killed upload).
     */
    void commit(Path runDir, Path stepDir, long step, List<String> files, int keep) {
        try {
            for (String f : files) {
                if (Files.isRegularFile(stepDir.resolve(f))) {
                    pushCheckpointFile(stepDir.resolve(f), step);
                }
            }
            if (Files.isRegularFile(runDir.resolve("metrics.jsonl"))) {
                push(runDir.resolve("metrics.jsonl"), "metrics.jsonl");
            }
            write(remote(stepFolder(step) + "/" + COMMITTED), Checkpoints.dirName(step) + "\n");
            write(remote("checkpoints/" + Checkpoints.LATEST), Checkpoints.dirName(step) + "\n");
            List<Long> committed = committedSteps();
            for (int i = 0; i < committed.size() - keep; i++) {
                fs.delete(remote(stepFolder(committed.get(i))), true);
            }
            for (FileStatus st : fs.listStatus(remote("checkpoints"))) {
                String name = st.getPath().getName();
                if (st.isDirectory()
                        && name.matches("step-\\d+")
                        && Long.parseLong(name.substring(5)) < step
                        && !committed.contains(Long.parseLong(name.substring(5)))) {
                    fs.delete(st.getPath(), true);
                }
            }
        } catch (IOException e) {
            throw failure("commit checkpoint " + Checkpoints.dirName(step) + " to", e);
        }
    }

    /**
     * Clears the way for a run from step 0 as a local run folder does: the earlier run's checkpoints, metrics and
     * loss curve are moved under {@code replaced/<UTC time>/} (on an object store a rename is a copy), or deleted
     * when {@code delete}. Returns what happened, or empty when there was nothing.
     */
    public Optional<String> setAside(boolean delete) {
        try {
            List<org.apache.hadoop.fs.Path> present = new ArrayList<>();
            for (String f : List.of("checkpoints", "metrics.jsonl", "loss.png")) {
                if (fs.exists(remote(f))) {
                    present.add(remote(f));
                }
            }
            if (present.isEmpty()) {
                return Optional.empty();
            }
            if (delete) {
                for (org.apache.hadoop.fs.Path p : present) {
                    fs.delete(p, true);
                }
                return Optional.of("deleted");
            }
            String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                    .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
            org.apache.hadoop.fs.Path target = remote("replaced/" + stamp);
            for (int i = 1; fs.exists(target); i++) {
                target = remote("replaced/" + stamp + "-" + i);
            }
            fs.mkdirs(target);
            for (org.apache.hadoop.fs.Path p : present) {
                if (!fs.rename(p, new org.apache.hadoop.fs.Path(target, p.getName()))) {
                    throw new IOException("rename of " + p + " failed");
                }
            }
            return Optional.of("moved to " + target);
        } catch (IOException e) {
            throw failure("move the earlier run aside in", e);
        }
    }

    /** A temporary-name suffix no other process or thread of this machine uses at the same time. */
    private static String unique() {
        return java.util.UUID.randomUUID().toString().substring(0, 13);
    }

    private void write(org.apache.hadoop.fs.Path p, String text) throws IOException {
        try (FSDataOutputStream out = fs.create(p, true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private String read(org.apache.hadoop.fs.Path p) throws IOException {
        try (var in = fs.open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private UncheckedIOException failure(String what, IOException e) {
        return new UncheckedIOException("cannot " + what + " " + uri + ": " + e.getMessage(), e);
    }

    @Override
    public String toString() {
        return URI.create(uri).toString();
    }
}
