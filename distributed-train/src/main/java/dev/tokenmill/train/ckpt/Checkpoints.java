package dev.tokenmill.train.ckpt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tokenmill.train.dist.Collective;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checkpoint directories {@code <run>/checkpoints/step-NNNNNNNN/}: every writer (one per rank) writes its shard of
 * the weights ({@code model-0000i-of-0000K.safetensors}) and of the optimizer state ({@code optimizer-…}); after a
 * barrier rank 0 writes the two {@code *.safetensors.index.json} maps, {@code config.json} and
 * {@code train_state.json}, renames the temporary directory into place, moves the {@code latest} pointer and drops
 * all but the newest {@code keep}. Loading looks every tensor up in the index, so any layout can resume any other.
 * Assumes a file system every rank sees (local disk on one machine, or a shared mount).
 */
public final class Checkpoints {
    public static final String LATEST = "latest";
    public static final String STATE = "train_state.json";
    /** Tokenizer files of the run folder that each checkpoint carries a copy of. */
    public static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer.model");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Checkpoints() {}

    public static Path root(Path runDir) {
        return runDir.resolve("checkpoints");
    }

    public static String dirName(long step) {
        return String.format("step-%08d", step);
    }

    public static String shardName(String kind, int writer, int writers) {
        return String.format("%s-%05d-of-%05d.safetensors", kind, writer + 1, writers);
    }

    /**
     * Writes one rank's shards and, on rank 0 of {@code world}, completes the checkpoint. Every rank of
     * {@code world} must call this with the same step.
     */
    public static void save(
            Path runDir,
            long step,
            int writer,
            int writers,
            Map<String, SafeTensors.Tensor> weights,
            Map<String, SafeTensors.Tensor> optimizer,
            Map<String, Object> hfConfig,
            Map<String, Object> state,
            int keep,
            Collective world) {
        save(runDir, step, writer, writers, weights, optimizer, hfConfig, state, keep, world, null);
    }

    /**
     * As above; with a {@code remote} run folder, {@code runDir} is this machine's staging folder, every rank
     * uploads its shards, and rank 0 commits the checkpoint there after all have ({@link RemoteRunFolder}).
     */
    public static void save(
            Path runDir,
            long step,
            int writer,
            int writers,
            Map<String, SafeTensors.Tensor> weights,
            Map<String, SafeTensors.Tensor> optimizer,
            Map<String, Object> hfConfig,
            Map<String, Object> state,
            int keep,
            Collective world,
            RemoteRunFolder remote) {
        Path root = root(runDir);
        Path tmp = root.resolve(dirName(step) + ".tmp");
        try {
            if (world.rank() == 0) {
                deleteTree(tmp);
                Files.createDirectories(tmp);
            }
            world.barrier();
            // ranks on other machines have their own staging folder
            Files.createDirectories(tmp);
            Map<String, String> meta = Map.of("format", "pt");
            Path model = tmp.resolve(shardName("model", writer, writers));
            Path moments = tmp.resolve(shardName("optimizer", writer, writers));
            SafeTensors.write(model, weights, meta);
            SafeTensors.write(moments, optimizer, meta);
            if (remote != null) {
                remote.pushCheckpointFile(model, step);
                remote.pushCheckpointFile(moments, step);
            }
            world.barrier();
            if (world.rank() == 0) {
                if (remote != null) {
                    for (int w = 0; w < writers; w++) {
                        remote.fetchCheckpointFile(tmp, shardName("model", w, writers), step);
                        remote.fetchCheckpointFile(tmp, shardName("optimizer", w, writers), step);
                    }
                }
                writeIndex(tmp, "model", writers);
                writeIndex(tmp, "optimizer", writers);
                JSON.writeValue(tmp.resolve("config.json").toFile(), hfConfig);
                JSON.writeValue(tmp.resolve(STATE).toFile(), state);
                // the run's tokenizer travels with every checkpoint, so a copied checkpoint still decodes its ids
                for (String file : TOKENIZER_FILES) {
                    if (Files.isRegularFile(runDir.resolve(file))) {
                        Files.copy(runDir.resolve(file), tmp.resolve(file));
                    }
                }
                if (remote != null) {
                    List<String> files = new ArrayList<>(List.of(
                            "model.safetensors.index.json", "optimizer.safetensors.index.json", "config.json", STATE));
                    files.addAll(TOKENIZER_FILES);
                    remote.commit(runDir, tmp, step, files, keep);
                }
                Path done = root.resolve(dirName(step));
                deleteTree(done);
                Files.move(tmp, done, StandardCopyOption.ATOMIC_MOVE);
                Path pointer = root.resolve(LATEST + ".tmp");
                Files.writeString(pointer, dirName(step) + "\n");
                Files.move(
                        pointer,
                        root.resolve(LATEST),
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                prune(root, keep);
            }
            world.barrier();
            if (remote != null) {
                deleteTree(tmp); // a rank on another machine: its staged shards are uploaded
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + dirName(step) + ": " + e.getMessage(), e);
        }
    }

    private static void writeIndex(Path dir, String kind, int writers) throws IOException {
        Map<String, String> weightMap = new TreeMap<>();
        long total = 0;
        for (int w = 0; w < writers; w++) {
            String file = shardName(kind, w, writers);
            try (SafeTensors.Reader r = new SafeTensors.Reader(dir.resolve(file))) {
                for (String name : r.names()) {
                    weightMap.put(name, file);
                    long n = 1;
                    for (long d : r.shape(name)) {
                        n *= d;
                    }
                    total += n * 4;
                }
            }
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("metadata", Map.of("total_size", total));
        index.put("weight_map", weightMap);
        JSON.writeValue(dir.resolve(kind + ".safetensors.index.json").toFile(), index);
    }

    private static void prune(Path root, int keep) throws IOException {
        List<Path> steps = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, "step-*")) {
            for (Path p : ds) {
                if (!p.getFileName().toString().endsWith(".tmp")) {
                    steps.add(p);
                }
            }
        }
        steps.sort(Comparator.comparing(p -> p.getFileName().toString()));
        for (int i = 0; i < steps.size() - keep; i++) {
            deleteTree(steps.get(i));
        }
    }

    /** The directory {@code latest} points at, if a complete checkpoint exists. */
    public static Optional<Path> latest(Path runDir) {
        Path pointer = root(runDir).resolve(LATEST);
        if (!Files.exists(pointer)) {
            return Optional.empty();
        }
        try {
            Path dir = root(runDir).resolve(Files.readString(pointer).strip());
            return Files.exists(dir.resolve(STATE)) ? Optional.of(dir) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> state(Path checkpoint) {
        try {
            return JSON.readValue(checkpoint.resolve(STATE).toFile(), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + checkpoint.resolve(STATE) + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> hfConfig(Path checkpoint) {
        try {
            return JSON.readValue(checkpoint.resolve("config.json").toFile(), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The named tensors of one kind memory-mapped from their shards (inference: the weights go from the page cache
     * into the engine without a copy in the Java heap).
     */
    @SuppressWarnings("unchecked")
    public static Map<String, java.nio.ByteBuffer> map(Path checkpoint, String kind, List<String> names) {
        try {
            Map<String, Object> index = JSON.readValue(
                    checkpoint.resolve(kind + ".safetensors.index.json").toFile(), Map.class);
            Map<String, String> weightMap = (Map<String, String>) index.get("weight_map");
            Map<String, java.nio.ByteBuffer> out = new LinkedHashMap<>();
            Map<String, SafeTensors.Reader> readers = new TreeMap<>();
            try {
                for (String n : names) {
                    String file = weightMap.get(n);
                    if (file == null) {
                        throw new IllegalArgumentException(
                                "checkpoint " + checkpoint.getFileName() + " has no " + kind + " tensor " + n);
                    }
                    SafeTensors.Reader r = readers.get(file);
                    if (r == null) {
                        r = new SafeTensors.Reader(checkpoint.resolve(file));
                        readers.put(file, r);
                    }
                    out.put(n, r.map(n));
                }
            } finally {
                for (SafeTensors.Reader r : readers.values()) {
                    r.close();
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + checkpoint + ": " + e.getMessage(), e);
        }
    }

    /** Reads the named tensors of one kind ("model" or "optimizer"), wherever the index says they are. */
    @SuppressWarnings("unchecked")
    public static Map<String, float[]> read(Path checkpoint, String kind, List<String> names) {
        try {
            Map<String, Object> index = JSON.readValue(
                    checkpoint.resolve(kind + ".safetensors.index.json").toFile(), Map.class);
            Map<String, String> weightMap = (Map<String, String>) index.get("weight_map");
            Map<String, List<String>> byFile = new TreeMap<>();
            for (String n : names) {
                String file = weightMap.get(n);
                if (file == null) {
                    throw new IllegalArgumentException(
                            "checkpoint " + checkpoint.getFileName() + " has no " + kind + " tensor " + n);
                }
                byFile.computeIfAbsent(file, f -> new ArrayList<>()).add(n);
            }
            Map<String, float[]> out = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> e : byFile.entrySet()) {
                try (SafeTensors.Reader r = new SafeTensors.Reader(checkpoint.resolve(e.getKey()))) {
                    for (String n : e.getValue()) {
                        out.put(n, r.read(n));
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + checkpoint + ": " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
