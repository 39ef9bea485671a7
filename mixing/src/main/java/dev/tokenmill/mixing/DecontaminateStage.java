package dev.tokenmill.mixing;

import dev.tokenmill.core.Rejection;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageContext;
import dev.tokenmill.mixing.decontam.EvalIndex;
import dev.tokenmill.mixing.decontam.EvalSets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * {@code decontaminate}: drops (or masks) training documents that share n-grams with the evaluation sets. A dropped
 * document goes to the rejected table with rule {@code benchmark-overlap}, the number of matching n-grams as its
 * value and the benchmark plus one matching n-gram in the detail; a masked one keeps its row with the matching
 * words replaced. Every document gets {@code contamination_ngrams} (0 when clean); counters report documents per
 * benchmark.
 */
public final class DecontaminateStage implements Stage {
    /** The parameters as parsed (defaults filled in) plus what they resolve to: the config in lineage. */
    private final Map<String, Object> settings;

    public static final String NGRAMS = "contamination_ngrams";

    private final List<String> evalPaths;
    private final Set<String> fields;
    private final int n;
    private final int minWords;
    private final int minMatches;
    private final boolean mask;
    private final String placeholder;
    private EvalSets.Loaded loaded;

    public DecontaminateStage(
            Map<String, Object> settings,
            List<String> evalPaths,
            Set<String> fields,
            int n,
            int minWords,
            int minMatches,
            boolean mask,
            String placeholder) {
        this.settings = settings;
        this.evalPaths = List.copyOf(evalPaths);
        this.fields = Set.copyOf(fields);
        this.n = n;
        this.minWords = minWords;
        this.minMatches = minMatches;
        this.mask = mask;
        this.placeholder = placeholder;
    }

    @Override
    public String name() {
        return "decontaminate";
    }

    @Override
    public Map<String, Object> config() {
        return settings;
    }

    private EvalSets.Loaded load(StageContext context) {
        if (loaded == null) {
            try {
                loaded = EvalSets.load(evalPaths, fields, context.resources());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the evaluation sets: " + e.getMessage(), e);
            }
        }
        return loaded;
    }

    @Override
    public Map<String, String> externalInputs(StageContext context) {
        return load(context).sha256();
    }

    @Override
    public Dataset<Row> apply(Dataset<Row> input, StageContext context) {
        EvalIndex index = EvalIndex.build(load(context).passages(), n, minWords);
        for (EvalIndex.BenchmarkStats s : index.stats()) {
            context.note(String.format(
                    "decontaminate: %s: %,d passages, %,d n-grams%s",
                    s.name(),
                    s.passages(),
                    s.ngrams(),
                    s.skippedShort() == 0
                            ? ""
                            : String.format(" (%,d passages under %d words skipped)", s.skippedShort(), minWords)));
        }
        Map<String, LongAccumulator> perBenchmark = new java.util.TreeMap<>();
        for (EvalIndex.BenchmarkStats s : index.stats()) {
            perBenchmark.put(s.name(), context.counter("contaminated_docs_" + s.name()));
        }
        context.noteAfterRun(() -> {
            StringBuilder sb = new StringBuilder("decontaminate: contaminated documents per benchmark:");
            perBenchmark.forEach(
                    (name, acc) -> sb.append(' ').append(name).append('=').append(acc.value()));
            return sb.toString();
        });
        Broadcast<EvalIndex> shared =
                context.spark().sparkContext().broadcast(index, scala.reflect.ClassTag$.MODULE$.apply(EvalIndex.class));
        StructType in = input.schema();
        StructType out = Rejection.tagged(in.add(NGRAMS, DataTypes.IntegerType, false));
        int text = in.fieldIndex(context.textColumn());
        int width = in.size();
        boolean masking = mask;
        String hole = placeholder;
        int atLeast = minMatches;
        MapPartitionsFunction<Row, Row> fn = tagger(shared, perBenchmark, text, width, masking, hole, atLeast);
        return input.mapPartitions(fn, Encoders.row(out));
    }

    /** Static, so the Spark closure holds the broadcast and counters only, not the stage. */
    private static MapPartitionsFunction<Row, Row> tagger(
            Broadcast<EvalIndex> shared,
            Map<String, LongAccumulator> perBenchmark,
            int text,
            int width,
            boolean masking,
            String hole,
            int atLeast) {
        return rows -> {
            EvalIndex idx = shared.value();
            return dev.tokenmill.core.Rows.mapped(rows, r -> {
                Object[] values = dev.tokenmill.core.Rows.widen(r, width, 2);
                String doc = r.isNullAt(text) ? "" : r.getString(text);
                EvalIndex.Match m = idx.find(doc, atLeast);
                values[width] = m == null ? 0 : m.ngrams();
                if (m != null) {
                    perBenchmark.get(m.benchmark()).add(1);
                    if (masking) {
                        values[text] = idx.mask(doc, hole);
                    } else {
                        values[width + 1] = Rejection.of(
                                "benchmark-overlap",
                                (double) m.ngrams(),
                                (double) atLeast,
                                "benchmark=" + m.benchmark() + "; ngram=\"" + m.example() + "\"");
                    }
                }
                return RowFactory.create(values);
            });
        };
    }
}
