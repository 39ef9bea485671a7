package dev.tokenmill.jobs.dedup;

import dev.tokenmill.dedup.bench.DedupScores;
import dev.tokenmill.dedup.bench.NearDuplicateCorpus;
import dev.tokenmill.dedup.fuzzy.FuzzyDedupStage;
import dev.tokenmill.dedup.fuzzy.FuzzyDedupStageFactory;
import dev.tokenmill.dedup.minhash.LshParams;
import dev.tokenmill.dedup.minhash.Shingler;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.recipe.Recipe;
import dev.tokenmill.jobs.recipe.RecipeRunner;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The labelled accuracy benchmark of {@code dedup-fuzzy}: generate a {@link NearDuplicateCorpus} from real passages,
 * write it as a lake table, run the real stage through a recipe, read its cluster table back and score it.
 */
public final class DedupAccuracy {
    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("text", DataTypes.StringType, false)
            .add("family", DataTypes.StringType, false)
            .add("edit", DataTypes.StringType, false)
            .add("rate", DataTypes.DoubleType, false);

    public record Report(
            NearDuplicateCorpus.Corpus corpus,
            DedupScores.Result scores,
            LshParams lsh,
            double threshold,
            double seconds) {
        public void print(PrintWriter out) {
            long positives = corpus.pairs().stream()
                    .filter(p -> p.jaccard() >= threshold)
                    .count();
            out.printf(
                    "corpus: %,d documents, %,d labelled pairs (%,d with exact Jaccard ≥ %.2f, %,d hard negatives)%n",
                    corpus.docs().size(),
                    corpus.pairs().size(),
                    positives,
                    threshold,
                    corpus.pairs().stream()
                            .filter(p -> p.kind().equals("hard-negative"))
                            .count());
            out.printf("LSH: %s%n", lsh);
            out.printf(
                    "pairs: TP %d  FP %d  FN %d  TN %d%n",
                    scores.truePositives(), scores.falsePositives(), scores.falseNegatives(), scores.trueNegatives());
            out.printf(
                    "precision %.4f  recall %.4f  F1 %.4f  ARI %.4f  (stage %.1f s)%n",
                    scores.precision(), scores.recall(), scores.f1(), scores.ari(), seconds);
            out.println(
                    "edit rate | pairs | mean exact J | J ≥ t | found | recall | S-curve 1-(1-s^r)^b, mean over the J ≥ t pairs");
            for (DedupScores.RateRow r : scores.byRate()) {
                out.printf(
                        "%9.2f | %5d | %12.3f | %5d | %5d | %6s | %.3f%n",
                        r.rate(),
                        r.pairs(),
                        r.meanJaccard(),
                        r.positives(),
                        r.found(),
                        Double.isNaN(r.recall()) ? "-" : String.format("%.3f", r.recall()),
                        r.expectedCandidate());
            }
            scores.recallByEdit()
                    .forEach((edit, v) ->
                            out.printf("recall of %s edits: %.3f (%d positive pairs)%n", edit, v[1], (long) v[0]));
        }
    }

    private DedupAccuracy() {}

    /** {@code params}: the dedup-fuzzy recipe parameters (threshold, ngram, ...); clusters is set here. */
    public static Report run(
            Lake lake,
            List<NearDuplicateCorpus.Source> sources,
            int originals,
            int variants,
            long seed,
            Map<String, Object> params,
            PrintWriter out) {
        FuzzyDedupStage probe = (FuzzyDedupStage) new FuzzyDedupStageFactory().create(params);
        Map<String, Object> config = probe.config();
        double threshold = ((Number) config.get("threshold")).doubleValue();
        int ngram = ((Number) config.get("ngram")).intValue();
        Shingler.Unit unit =
                Shingler.Unit.valueOf(config.get("shingle").toString().toUpperCase());
        LshParams lsh = LshParams.evaluate(
                threshold, ((Number) config.get("bands")).intValue(), ((Number) config.get("rows")).intValue());

        NearDuplicateCorpus.Corpus corpus =
                NearDuplicateCorpus.generate(sources, originals, variants, 50, seed, new Shingler(unit, ngram, seed));
        List<Row> rows = new ArrayList<>();
        for (NearDuplicateCorpus.Doc d : corpus.docs()) {
            rows.add(RowFactory.create(d.id(), d.text(), d.family(), d.edit(), d.rate()));
        }
        lake.spark()
                .createDataFrame(rows, SCHEMA)
                .repartition(lake.spark().sparkContext().defaultParallelism())
                .write()
                .format("delta")
                .mode("overwrite")
                .option("overwriteSchema", "true")
                .save(lake.locate("bench/near-dups").path());

        Map<String, Object> stageParams = new LinkedHashMap<>(params);
        stageParams.put("clusters", "bench/near-dup-clusters");
        Recipe.Step step = new Recipe.Step(
                "dedup-fuzzy",
                "bench/near-dups",
                "bench/near-dups-deduped",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                stageParams);
        long t0 = System.nanoTime();
        new RecipeRunner(lake, out).run(new Recipe("dedup-accuracy", null, seed, List.of(step)), true);
        double seconds = (System.nanoTime() - t0) / 1e9;

        Map<String, String> clusterOf = new HashMap<>();
        for (Row r : lake.read(
                        lake.locate("bench/near-dup-clusters"),
                        lake.latestVersion(lake.locate("bench/near-dup-clusters")))
                .select("id", "cluster_id")
                .collectAsList()) {
            clusterOf.put(r.getString(0), Long.toString(r.getLong(1)));
        }
        return new Report(corpus, DedupScores.score(corpus, clusterOf, threshold, lsh), lsh, threshold, seconds);
    }

    /** Europarl speeches (title TAB date TAB text per line) as sources grouped by debate title. */
    public static List<NearDuplicateCorpus.Source> europarl(java.nio.file.Path linesGz, int maxWords) {
        List<NearDuplicateCorpus.Source> sources = new ArrayList<>();
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(
                new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(linesGz)),
                java.nio.charset.StandardCharsets.UTF_8))) {
            int n = 0;
            for (String line; (line = in.readLine()) != null; n++) {
                String[] f = line.split("\t", 3);
                if (f.length == 3) {
                    sources.add(new NearDuplicateCorpus.Source(
                            "europarl-" + n,
                            f[0] + "|" + f[1],
                            firstWords(f[2].replaceAll("\\s{2,}", "\n"), maxWords)));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return sources;
    }

    static String firstWords(String text, int maxWords) {
        int words = 0;
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))
                    && i > 0
                    && !Character.isWhitespace(text.charAt(i - 1))
                    && ++words == maxWords) {
                return text.substring(0, i);
            }
        }
        return text;
    }
}
