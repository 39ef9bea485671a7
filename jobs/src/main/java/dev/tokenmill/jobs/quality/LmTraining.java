package dev.tokenmill.jobs.quality;

import static org.apache.spark.sql.functions.col;

import dev.tokenmill.jobs.JobFailure;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.SqlFilter;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.quality.lm.KneserNeyModel;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Trains a Kneser-Ney n-gram model from a table version (for {@code tokenmill train-lm} and the {@code train-lm}
 * recipe step). Documents stream to the driver in partition order, so one table version gives one model. The
 * caller records the lineage beside it ({@code MODEL.lineage.json}, {@link dev.tokenmill.jobs.lake.FilesCommitter}).
 */
public final class LmTraining {
    public record Result(String path, long docs, long chars, KneserNeyModel model, double seconds) {
        /** What the lineage JSON records about the model. */
        public Map<String, Object> results() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("docs", docs);
            m.put("chars", chars);
            m.put("vocabulary", model.vocabulary());
            return m;
        }

        public String summary(int order) {
            StringBuilder counts = new StringBuilder();
            for (int k = 1; k <= order; k++) {
                counts.append(k == 1 ? "" : ", ")
                        .append(k)
                        .append("-grams ")
                        .append(String.format("%,d", model.ngrams(k)));
            }
            return String.format(
                    "%,d docs, %,d chars, vocabulary %,d; %s (%.1f s) → %s",
                    docs, chars, model.vocabulary(), counts, seconds, path);
        }
    }

    private LmTraining() {}

    public static Result train(
            Lake lake, TableLocation table, long version, String where, String textColumn, int order, String output) {
        if (order < 2 || order > 6) {
            throw new UserError("n-gram order must be 2..6, got " + order);
        }
        Dataset<Row> df = lake.read(table, version);
        if (!List.of(df.columns()).contains(textColumn)) {
            throw new UserError("table " + table.name() + "@" + version + " has no column '" + textColumn + "'");
        }
        df = SqlFilter.apply(df, where, "where");
        long t0 = System.nanoTime();
        KneserNeyModel.Builder builder = new KneserNeyModel.Builder(order);
        long docs = 0;
        long chars = 0;
        Iterator<Row> rows =
                df.select(col(textColumn)).filter(col(textColumn).isNotNull()).toLocalIterator();
        while (rows.hasNext()) {
            String text = rows.next().getString(0);
            builder.add(text);
            docs++;
            chars += text.length();
        }
        if (docs == 0) {
            throw new UserError(
                    "no documents in " + table.name() + "@" + version + (where == null ? "" : " where " + where));
        }
        KneserNeyModel model = builder.build();
        String path = lake.locate(output).path();
        try {
            Path file = new Path(path);
            FileSystem fs = file.getFileSystem(lake.hadoopConf());
            try (OutputStream out = fs.create(file, true)) {
                model.save(out);
            }
        } catch (IOException e) {
            throw new JobFailure("cannot write the model to " + path + ": " + e.getMessage(), e);
        }
        return new Result(path, docs, chars, model, (System.nanoTime() - t0) / 1e9);
    }
}
