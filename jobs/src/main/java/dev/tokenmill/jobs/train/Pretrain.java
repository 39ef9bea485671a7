package dev.tokenmill.jobs.train;

import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.Lineage;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.tokenizer.MegatronExport;
import dev.tokenmill.jobs.util.CodeVersion;
import dev.tokenmill.jobs.util.Json;
import dev.tokenmill.train.ckpt.Checkpoints;
import dev.tokenmill.train.ckpt.RemoteRunFolder;
import dev.tokenmill.train.model.ModelConfig;
import dev.tokenmill.train.spark.BarrierPretrain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The {@code pretrain} step: a packed (tokenize) table in, a run folder out — {@code data/} (the table as Megatron
 * .bin/.idx, memory-mapped by the ranks), {@code checkpoints/step-N/}, {@code metrics.jsonl} and {@code loss.png}.
 * Every checkpoint records the run's {@link RunIdentity}: a finished run with the same identity is up to date, an
 * unfinished one resumes from its latest checkpoint (also after a change of steps, cadences, layout or code), and a
 * different identity is refused unless {@code force}, which moves the old run aside ({@link RunFolder}).
 */
public final class Pretrain {
    /** What a call did: skipped, resumed or trained, to which step, with which figures. */
    public record Outcome(
            boolean upToDate,
            long fromStep,
            long toStep,
            Double finalLoss,
            double evalLoss,
            double tokensPerSecond,
            String runDir,
            long parameters) {}

    private Pretrain() {}

    public static Outcome run(
            Lake lake,
            TableLocation input,
            long version,
            PretrainStep step,
            String output,
            long seed,
            boolean force,
            boolean deleteReplaced,
            boolean resumeOnly,
            java.util.function.Consumer<String> note) {
        Lineage tokenized;
        try {
            tokenized = MegatronExport.tokenizeLineage(lake, input, version);
        } catch (IllegalArgumentException e) {
            throw new UserError("pretrain: " + e.getMessage());
        }
        ModelConfig model = modelConfig(step, tokenized, input.name());
        String location = lake.locate(output).path();
        RemoteRunFolder remote =
                RemoteRunFolder.isRemote(location) ? new RemoteRunFolder(location, lake.hadoopConf()) : null;
        // a remote run is trained in this machine's staging folder and committed to the remote one
        Path runDir = remote == null ? localFolder(location) : RemoteRunFolder.staging(location);
        String shown = remote == null ? runDir.toString() : remote.uri();
        String dataName = "data/" + input.name().replace('/', '_') + "@" + version;
        if (remote != null) {
            remote.pull(runDir, List.of(dataName + ".bin", dataName + ".idx"));
        }
        String tokenizerSha = String.valueOf(tokenized.config().get("tokenizer_sha256"));
        Map<String, Object> trainSettings = step.train().toMap();
        Map<String, Object> identity = RunIdentity.of(
                input.name(), version, tokenizerSha, model.toHuggingFace(), seed, trainSettings, step.dp());
        String fingerprint = Json.fingerprint(identity);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(lake.spark().sparkContext());
        try {
            BarrierPretrain.checkSlots(sc, step.dp() * step.pp());
            dev.tokenmill.train.model.Section.of(model, 0, step.pp());
        } catch (IllegalArgumentException e) {
            throw new UserError("pretrain: " + e.getMessage());
        }

        Optional<Path> latest = Checkpoints.latest(runDir);
        long fromStep = 0;
        if (latest.isPresent() && !force) {
            Map<String, Object> state = Checkpoints.state(latest.get());
            long saved = ((Number) state.get("step")).longValue();
            List<String> differing = RunIdentity.differences(RunIdentity.ofState(state), identity);
            if (!differing.isEmpty()) {
                throw new UserError("pretrain: " + shown + " holds another run (" + String.join(", ", differing) + "); "
                        + "give another --output, or --force to start over (the old run is moved aside, not deleted)");
            }
            if (saved >= step.train().steps()) {
                copyTokenizer(lake, tokenized, runDir, remote); // a run finished before runs carried their tokenizer
                return new Outcome(true, saved, saved, null, Double.NaN, 0, shown, model.parameterCount());
            }
            fromStep = saved;
            List<String> changed =
                    RunIdentity.changedContinuation(state, trainSettings, step.dp(), step.pp(), CodeVersion.get());
            if (!changed.isEmpty()) {
                note.accept("continuing " + latest.get().getFileName() + " with " + String.join(", ", changed));
            }
        } else if (resumeOnly) {
            throw new UserError("pretrain --resume: no complete checkpoint in " + shown);
        }
        if (fromStep == 0) {
            if (remote != null) {
                remote.setAside(deleteReplaced)
                        .ifPresent(what -> note.accept("the earlier run in " + shown + ": " + what));
                RunFolder.setAside(runDir, true); // the staging copy of it
            } else {
                RunFolder.setAside(runDir, deleteReplaced)
                        .ifPresent(what -> note.accept("the earlier run in " + runDir + ": " + what));
            }
        }
        copyTokenizer(lake, tokenized, runDir, remote);
        Path data = runDir.resolve(dataName);
        try {
            if (!Files.exists(Path.of(data + ".idx"))) {
                MegatronExport.Result r = MegatronExport.write(lake, input, version, data);
                note.accept(String.format(
                        "data: %s@%d → %s.bin/.idx (%,d samples, %,d tokens)",
                        input.name(),
                        version,
                        remote == null ? data : shown + "/" + dataName,
                        r.samples(),
                        r.tokens()));
            }
            if (remote != null) {
                remote.ensure(Path.of(data + ".bin"), dataName + ".bin");
                remote.ensure(Path.of(data + ".idx"), dataName + ".idx");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + data + ": " + e.getMessage(), e);
        }
        note.accept(String.format(
                "model: %,d parameters (%d layers, d_model %d, %d heads / %d kv, ffn %d, seq %d, vocab %,d); dp %d × pp %d%s%s",
                model.parameterCount(),
                model.layers(),
                model.dModel(),
                model.heads(),
                model.kvHeads(),
                model.ffn(),
                model.seqLen(),
                model.vocabSize(),
                step.dp(),
                step.pp(),
                step.pp() > 1 ? " (" + step.describe().get("schedule") + ")" : "",
                fromStep > 0 ? "; resuming from step " + fromStep : ""));
        Map<String, Object> runInfo = new LinkedHashMap<>();
        runInfo.put("fingerprint", fingerprint);
        runInfo.put("identity", identity);
        runInfo.put("code_version", CodeVersion.get());
        runInfo.put("tokenizer_sha256", tokenizerSha);
        runInfo.put(
                "data",
                Map.of(
                        "table",
                        input.name(),
                        "version",
                        version,
                        "path",
                        lake.locate(input.name()).path()));
        int threads = step.threadsPerTask() > 0
                ? step.threadsPerTask()
                : Math.max(
                        1,
                        Runtime.getRuntime().availableProcessors()
                                / Math.max(1, Math.min(step.dp() * step.pp(), sc.defaultParallelism())));
        BarrierPretrain.Outcome result;
        try {
            result = BarrierPretrain.run(
                    sc,
                    new BarrierPretrain.Job(
                            model,
                            step.train(),
                            data.toString(),
                            runDir.toString(),
                            remote == null ? null : remote.uri(),
                            remote == null ? Map.of() : RemoteRunFolder.fileSystemSettings(lake.hadoopConf()),
                            step.dp(),
                            step.pp(),
                            step.schedule(),
                            fromStep > 0,
                            runInfo,
                            threads,
                            step.peakTflops() * 1e12));
        } catch (IllegalArgumentException e) {
            throw new UserError("pretrain: " + e.getMessage());
        }
        try {
            if (remote != null) {
                remote.pull(runDir, List.of()); // rank 0's metrics, written on whichever machine it ran
            }
            String runName =
                    remote == null ? runDir.getFileName().toString() : shown.substring(shown.lastIndexOf('/') + 1);
            LossCurve.write(
                    runDir, runDir.resolve("loss.png"), "pretrain " + runName + " on " + input.name() + "@" + version);
            if (remote != null) {
                remote.push(runDir.resolve("loss.png"), "loss.png");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + runDir.resolve("loss.png") + ": " + e.getMessage(), e);
        }
        List<Double> losses = result.losses();
        return new Outcome(
                false,
                fromStep,
                result.lastStep(),
                losses.isEmpty() ? null : losses.get(losses.size() - 1),
                result.evalLoss(),
                result.tokensPerSecond(),
                shown,
                model.parameterCount());
    }

    /**
     * The model a step describes for a tokenize table: the table's vocabulary, the step's shape, and its seq_len (or
     * the table's packed length); a one-line {@link UserError} for a shape that cannot be.
     */
    public static ModelConfig modelConfig(PretrainStep step, Lineage tokenized, String table) {
        int vocab = ((Number) tokenized.config().get("vocab_size")).intValue();
        int packed = ((Number) tokenized.config().get("seq_len")).intValue();
        int seqLen = step.seqLen() == null ? packed : step.seqLen();
        if (seqLen > packed) {
            throw new UserError("pretrain: seq_len " + seqLen + " is longer than the packed samples of " + table + " ("
                    + packed + " + 1 tokens)");
        }
        try {
            return new ModelConfig(
                            vocab,
                            step.layers(),
                            step.dModel(),
                            step.heads(),
                            step.kvHeads(),
                            step.ffn(),
                            seqLen,
                            step.tied(),
                            10_000.0,
                            1e-5,
                            0.02)
                    .validate();
        } catch (IllegalArgumentException e) {
            throw new UserError("pretrain: " + e.getMessage());
        }
    }

    /**
     * The tokenizer the table was encoded with, as {@code RUN/tokenizer.json}: what {@code generate} decodes with, so
     * a run folder is usable without the lake it came from.
     */
    private static void copyTokenizer(Lake lake, Lineage tokenized, Path runDir, RemoteRunFolder remote) {
        Object name = tokenized.config().get("tokenizer");
        if (name == null) {
            return;
        }
        try {
            var tokenizer = dev.tokenmill.jobs.tokenizer.Tokenize.tokenizer(lake, name.toString());
            Files.createDirectories(runDir);
            Path target = runDir.resolve("tokenizer.json");
            if (!Files.exists(target) || !Files.readString(target).equals(tokenizer.json())) {
                Files.writeString(target, tokenizer.json());
            }
            if (remote != null) {
                remote.ensure(target, "tokenizer.json");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write " + runDir.resolve("tokenizer.json") + ": " + e.getMessage(), e);
        } catch (UserError e) {
            // the tokenizer moved or was deleted since the table was tokenized: the run still trains; generate asks for
            // --tokenizer
        }
    }

    /**
     * A local run folder: a path, or a {@code file:} URI. Remote ones ({@code s3a://}, {@code hdfs://}) go through
     * {@link RemoteRunFolder}; a caller that needs a java.nio path for one gets this one-line error.
     */
    public static Path localFolder(String location) {
        if (location.startsWith("file:")) {
            return Path.of(URI.create(location));
        }
        if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw new UserError("a local run folder is needed here, not " + location + ": give an absolute local path");
        }
        return Path.of(location);
    }
}
