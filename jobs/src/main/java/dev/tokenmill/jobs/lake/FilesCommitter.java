package dev.tokenmill.jobs.lake;

import dev.tokenmill.jobs.JobFailure;
import dev.tokenmill.jobs.util.CodeVersion;
import dev.tokenmill.jobs.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The lineage of a step whose output is files (a model, a tokenizer folder, a training run), as a JSON file beside
 * them: the same fields a table commit records (stage, fingerprint, inputs with versions, config, code version,
 * seed), plus what the step reports (sizes, SHA-256). Written after the files, so its fingerprint marks them
 * complete. Input tables are named lake-relative, so a copied lake stays up to date.
 */
public final class FilesCommitter {
    private FilesCommitter() {}

    public static Map<String, Object> lineage(
            String stage,
            String fingerprint,
            List<Lineage.Input> inputs,
            String output,
            Map<String, Object> config,
            Long seed,
            String recipe,
            Instant started,
            long wallMs,
            Map<String, Object> results) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokenmill", Lineage.FORMAT);
        m.put("stage", stage);
        m.put("fingerprint", fingerprint);
        m.put("inputs", inputs);
        m.put("output", output);
        m.put("config", config);
        m.put("code_version", CodeVersion.get());
        m.put("seed", seed);
        m.put("recipe", recipe);
        m.putAll(results);
        m.put("started_at", started.toString());
        m.put("wall_ms", wallMs);
        return m;
    }

    /** Writes (replaces) the lineage JSON at {@code location} (a lake name or a path). */
    public static void write(Lake lake, String location, Map<String, Object> lineage) {
        write(lake.locate(location).path(), lake.hadoopConf(), lineage);
    }

    /** Writes (replaces) the lineage JSON at a full path or URI. */
    public static void write(String uri, org.apache.hadoop.conf.Configuration conf, Map<String, Object> lineage) {
        Path file = new Path(uri);
        try {
            FileSystem fs = file.getFileSystem(conf);
            try (OutputStream out = fs.create(file, true)) {
                out.write(Json.pretty(lineage).getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new JobFailure("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The fingerprint in the lineage JSON when it and the artifact it describes are both there, else null. */
    public static String recordedFingerprint(Lake lake, String lineageLocation, String artifactLocation) {
        Path lineage = new Path(lake.locate(lineageLocation).path());
        Path artifact = new Path(lake.locate(artifactLocation).path());
        try {
            FileSystem fs = lineage.getFileSystem(lake.hadoopConf());
            if (!fs.exists(lineage) || !fs.exists(artifact)) {
                return null;
            }
            try (InputStream in = fs.open(lineage)) {
                return Json.read(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .path("fingerprint")
                        .asText(null);
            }
        } catch (IOException e) {
            return null;
        }
    }
}
