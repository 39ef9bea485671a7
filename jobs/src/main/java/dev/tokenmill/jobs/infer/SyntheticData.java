package dev.tokenmill.jobs.infer;

import static org.apache.spark.sql.functions.col;

import ai.djl.pytorch.jni.JniUtils;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.util.Json;
import dev.tokenmill.train.Torch;
import dev.tokenmill.train.infer.Generation;
import dev.tokenmill.train.infer.GenerationConfig;
import dev.tokenmill.train.infer.Generator;
import dev.tokenmill.train.infer.SamplingConfig;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The generate step's Spark side: each task loads the checkpoint once ({@link ExecutorModels}), batches its prompts
 * and decodes them with the KV cache; a prompt too long for the model's window (with max_new_tokens) or empty is
 * kept as a row with that finish reason and no text, not dropped.
 */
final class SyntheticData {
    static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("text", DataTypes.StringType, false)
            .add("prompt_id", DataTypes.StringType, false)
            .add("sample", DataTypes.IntegerType, false)
            .add("prompt", DataTypes.StringType, true)
            .add("tokens", DataTypes.IntegerType, false)
            .add("finish_reason", DataTypes.StringType, false)
            .add("checkpoint", DataTypes.StringType, false)
            .add("step", DataTypes.LongType, false)
            .add("stream", DataTypes.LongType, false)
            .add("sampling", DataTypes.StringType, false);

    /** The column a {@code prompt_expr} is evaluated into. */
    static final String EXPR_COLUMN = "__prompt";

    /** {@code input} with the prompt expression as a column (unchanged without one); a bad expression is a one-line error. */
    static Dataset<Row> withPrompt(Dataset<Row> input, String promptExpr) {
        if (promptExpr == null) {
            return input;
        }
        try {
            Dataset<Row> out = input.withColumn(EXPR_COLUMN, org.apache.spark.sql.functions.expr(promptExpr));
            out.queryExecution().assertAnalyzed();
            return out;
        } catch (Exception e) { // AnalysisException and parse errors
            throw new IllegalArgumentException("prompt_expr '" + promptExpr + "' is not a valid expression: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    record Settings(
            String idColumn,
            String promptColumn,
            String template,
            int samples,
            int maxNewTokens,
            SamplingConfig sampling,
            List<String> stop,
            String eos,
            int batchSize,
            int threads)
            implements Serializable {}

    record Result(Dataset<Row> rows, long prompts, long documents, Map<String, Long> counters, long step) {}

    private SyntheticData() {}

    static Result generate(Lake lake, Dataset<Row> input, ModelRef model, String checkpointName, Settings s) {
        List<String> needed = new ArrayList<>(List.of(s.idColumn()));
        needed.addAll(s.template() == null ? List.of(s.promptColumn()) : PromptTemplate.columns(s.template()));
        for (String c : needed) {
            if (!List.of(input.columns()).contains(c)) {
                throw new IllegalArgumentException("column '" + c + "' is not in the input table (columns: "
                        + String.join(", ", input.columns()) + ")");
            }
        }
        Path checkpoint = model.checkpoints().get(0);
        long step = ModelRef.step(checkpoint);
        String tokenizerFile = model.tokenizerFile(checkpoint).toString();
        int threads = ModelParams.threads(
                (Integer) s.threads(), lake.spark().sparkContext().defaultParallelism());
        String sampling = Json.write(settingsMap(s));
        String ckpt = checkpoint.toString();
        Dataset<Row> prompts = input.select(
                needed.stream().map(c -> col(c).cast(DataTypes.StringType)).toArray(Column[]::new));
        Dataset<Row> rows = prompts.mapPartitions(
                        (MapPartitionsFunction<Row, Row>) it ->
                                generate(it, needed, s, ckpt, tokenizerFile, checkpointName, step, sampling, threads),
                        Encoders.row(SCHEMA))
                .persist();
        long documents = rows.count();
        Map<String, Long> counters = new TreeMap<>();
        long tokens = 0;
        for (Row r : rows.groupBy("finish_reason")
                .agg(org.apache.spark.sql.functions.count("*"), org.apache.spark.sql.functions.sum("tokens"))
                .collectAsList()) {
            counters.put("finish_" + r.getString(0), r.getLong(1));
            tokens += r.isNullAt(2) ? 0 : r.getLong(2);
        }
        counters.put("tokens", tokens);
        counters.put("documents", documents);
        return new Result(rows, documents / s.samples(), documents, counters, step);
    }

    static String finishSummary(Map<String, Long> counters) {
        List<String> parts = new ArrayList<>();
        counters.forEach((k, v) -> {
            if (k.startsWith("finish_")) {
                parts.add(k.substring("finish_".length()) + " " + v);
            }
        });
        return String.join(", ", parts);
    }

    private static Map<String, Object> settingsMap(Settings s) {
        SamplingConfig c = s.sampling();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("max_new_tokens", s.maxNewTokens());
        m.put("do_sample", c.doSample());
        m.put("temperature", c.temperature());
        m.put("top_k", c.topK());
        m.put("top_p", c.topP());
        m.put("min_p", c.minP());
        m.put("repetition_penalty", c.repetitionPenalty());
        m.put("presence_penalty", c.presencePenalty());
        m.put("frequency_penalty", c.frequencyPenalty());
        m.put("no_repeat_ngram_size", c.noRepeatNgram());
        m.put("stop", s.stop());
        m.put("eos", s.eos());
        m.put("seed", c.seed());
        return m;
    }

    /** A row's random stream: the first 8 bytes of SHA-256(prompt id, sample). */
    static long stream(String promptId, int sample) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((promptId + "\u0000" + sample).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(h).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Job(String promptId, int sample, String prompt) {}

    private static Iterator<Row> generate(
            Iterator<Row> input,
            List<String> columns,
            Settings s,
            String checkpoint,
            String tokenizerFile,
            String checkpointName,
            long step,
            String sampling,
            int threads) {
        ExecutorModels.Loaded m = ExecutorModels.get(checkpoint, tokenizerFile);
        Torch.setThreads(threads);
        JniUtils.setGradMode(false);
        int eos = m.tokenizer().id(s.eos());
        GenerationConfig config = new GenerationConfig(
                        s.maxNewTokens(), eos >= 0 ? List.of(eos) : List.of(), s.stop(), s.sampling())
                .validate();
        Generator generator = new Generator(m.model(), m.tokenizer());
        int window = m.model().config().seqLen();
        List<Row> out = new ArrayList<>();
        List<Job> batch = new ArrayList<>();
        while (input.hasNext()) {
            Row r = input.next();
            String id = r.isNullAt(0) ? "" : r.getString(0);
            String prompt;
            if (s.template() == null) {
                prompt = r.isNullAt(1) ? null : r.getString(1);
            } else {
                Map<String, String> values = new HashMap<>();
                for (int i = 1; i < columns.size(); i++) {
                    values.put(columns.get(i), r.isNullAt(i) ? "" : r.getString(i));
                }
                prompt = PromptTemplate.fill(s.template(), values);
            }
            for (int k = 0; k < s.samples(); k++) {
                Job job = new Job(id, k, prompt);
                int length = prompt == null ? 0 : m.tokenizer().encode(prompt).length;
                if (length == 0) {
                    out.add(row(job, "", 0, "empty_prompt", checkpointName, step, sampling));
                } else if (length + s.maxNewTokens() > window) {
                    out.add(row(job, "", 0, "prompt_too_long", checkpointName, step, sampling));
                } else {
                    batch.add(job);
                }
                if (batch.size() == s.batchSize()) {
                    decode(generator, config, batch, out, checkpointName, step, sampling);
                }
            }
        }
        decode(generator, config, batch, out, checkpointName, step, sampling);
        return out.iterator();
    }

    private static void decode(
            Generator generator,
            GenerationConfig config,
            List<Job> batch,
            List<Row> out,
            String checkpointName,
            long step,
            String sampling) {
        if (batch.isEmpty()) {
            return;
        }
        long[] streams = new long[batch.size()];
        for (int i = 0; i < streams.length; i++) {
            streams[i] = stream(batch.get(i).promptId(), batch.get(i).sample());
        }
        List<Generation> done =
                generator.generate(batch.stream().map(Job::prompt).toList(), 0, streams, config, null);
        for (int i = 0; i < batch.size(); i++) {
            Generation g = done.get(i);
            out.add(row(batch.get(i), g.text(), g.tokens().length, g.finishReason(), checkpointName, step, sampling));
        }
        batch.clear();
    }

    private static Row row(
            Job job, String text, int tokens, String finish, String checkpoint, long step, String sampling) {
        return RowFactory.create(
                job.promptId() + "-" + job.sample(),
                text,
                job.promptId(),
                job.sample(),
                job.prompt(),
                tokens,
                finish,
                checkpoint,
                step,
                stream(job.promptId(), job.sample()),
                sampling);
    }
}
