package dev.tokenmill.jobs.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import ai.djl.pytorch.jni.JniUtils;
import dev.tokenmill.jobs.infer.ExecutorModels;
import dev.tokenmill.train.Torch;
import dev.tokenmill.train.infer.LogLikelihood;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Per-document negative log-likelihood over Spark tasks: each task scores its documents with lm-evaluation-harness's
 * rolling windows (every token predicted once, the first from the end-of-document token the model was trained to
 * see before a document), then the sums are grouped. Loss is nats per token, perplexity its exponential, bits per
 * byte the nats over the UTF-8 bytes of the text divided by ln 2 (comparable across tokenizers).
 */
final class DocumentScores {
    /** Documents scored per batch of windows within a task. */
    private static final int DOCUMENTS_PER_CHUNK = 64;

    static final String ALL = "(all)";

    /** One group's sums. */
    record Group(List<String> key, long documents, long tokens, long bytes, double nll) {}

    private DocumentScores() {}

    /** The sums per {@code groupBy} group, plus the whole table as the group whose every key is {@link #ALL}. */
    static List<Group> perGroup(
            Dataset<Row> table,
            String textColumn,
            List<String> groupBy,
            String checkpoint,
            String tokenizerFile,
            String eos,
            int batchTokens,
            int threads) {
        List<Column> groups = new ArrayList<>();
        for (String g : groupBy) {
            groups.add(col(g).cast(DataTypes.StringType).as(g));
        }
        List<Column> select = new ArrayList<>(groups);
        select.add(col(textColumn).as("text"));
        Dataset<Row> docs = table.select(select.toArray(Column[]::new));
        List<StructField> fields = new ArrayList<>();
        for (String g : groupBy) {
            fields.add(DataTypes.createStructField(g, DataTypes.StringType, true));
        }
        fields.add(DataTypes.createStructField("tokens", DataTypes.LongType, false));
        fields.add(DataTypes.createStructField("bytes", DataTypes.LongType, false));
        fields.add(DataTypes.createStructField("nll", DataTypes.DoubleType, false));
        StructType schema = DataTypes.createStructType(fields);
        int keys = groupBy.size();
        Dataset<Row> scored = docs.mapPartitions(
                (MapPartitionsFunction<Row, Row>)
                        rows -> score(rows, keys, checkpoint, tokenizerFile, eos, batchTokens, threads),
                Encoders.row(schema));
        List<Column> keyCols =
                groupBy.stream().map(org.apache.spark.sql.functions::col).toList();
        Column[] sums = {count(lit(1)).as("documents"), sum("tokens"), sum("bytes"), sum("nll")};
        Dataset<Row> grouped = keys == 0
                ? scored.agg(sums[0], sums[1], sums[2], sums[3])
                : scored.groupBy(keyCols.toArray(Column[]::new)).agg(sums[0], sums[1], sums[2], sums[3]);
        List<Group> out = new ArrayList<>();
        long documents = 0;
        long tokens = 0;
        long bytes = 0;
        double nll = 0;
        for (Row r : grouped.orderBy(keyCols.isEmpty() ? new Column[0] : keyCols.toArray(Column[]::new))
                .collectAsList()) {
            List<String> key = new ArrayList<>();
            for (int i = 0; i < keys; i++) {
                key.add(r.getString(i));
            }
            Group g = new Group(
                    key,
                    r.getLong(keys),
                    r.isNullAt(keys + 1) ? 0 : r.getLong(keys + 1),
                    r.isNullAt(keys + 2) ? 0 : r.getLong(keys + 2),
                    r.isNullAt(keys + 3) ? 0 : r.getDouble(keys + 3));
            documents += g.documents();
            tokens += g.tokens();
            bytes += g.bytes();
            nll += g.nll();
            if (keys > 0) {
                out.add(g);
            }
        }
        out.add(0, new Group(java.util.Collections.nCopies(keys, ALL), documents, tokens, bytes, nll));
        return out;
    }

    private static Iterator<Row> score(
            Iterator<Row> rows,
            int keys,
            String checkpoint,
            String tokenizerFile,
            String eos,
            int batchTokens,
            int threads) {
        ExecutorModels.Loaded m = ExecutorModels.get(checkpoint, tokenizerFile);
        Torch.setThreads(threads);
        JniUtils.setGradMode(false);
        int prefix = m.tokenizer().id(eos);
        if (prefix < 0) {
            throw new IllegalArgumentException("the tokenizer has no '" + eos + "' token to start documents with");
        }
        LogLikelihood scorer = new LogLikelihood(m.model(), batchTokens);
        int window = m.model().config().seqLen();
        List<Row> out = new ArrayList<>();
        List<Row> chunk = new ArrayList<>();
        while (rows.hasNext()) {
            chunk.add(rows.next());
            if (chunk.size() == DOCUMENTS_PER_CHUNK || !rows.hasNext()) {
                List<LogLikelihood.Request> requests = new ArrayList<>();
                int[] windows = new int[chunk.size()];
                long[] tokens = new long[chunk.size()];
                for (int d = 0; d < chunk.size(); d++) {
                    String text =
                            chunk.get(d).isNullAt(keys) ? "" : chunk.get(d).getString(keys);
                    int[] ids = m.tokenizer().encode(text);
                    List<LogLikelihood.Request> w = LogLikelihood.rollingWindows(ids, prefix, window);
                    windows[d] = w.size();
                    tokens[d] = ids.length;
                    requests.addAll(w);
                }
                List<LogLikelihood.Score> scores = scorer.score(requests);
                int at = 0;
                for (int d = 0; d < chunk.size(); d++) {
                    double nll = 0;
                    for (int k = 0; k < windows[d]; k++) {
                        nll -= scores.get(at++).logLikelihood();
                    }
                    Row doc = chunk.get(d);
                    Object[] values = new Object[keys + 3];
                    for (int i = 0; i < keys; i++) {
                        values[i] = doc.isNullAt(i) ? null : doc.getString(i);
                    }
                    String text = doc.isNullAt(keys) ? "" : doc.getString(keys);
                    values[keys] = tokens[d];
                    values[keys + 1] = (long) text.getBytes(StandardCharsets.UTF_8).length;
                    values[keys + 2] = nll;
                    out.add(RowFactory.create(values));
                }
                chunk.clear();
            }
        }
        return out.iterator();
    }
}
