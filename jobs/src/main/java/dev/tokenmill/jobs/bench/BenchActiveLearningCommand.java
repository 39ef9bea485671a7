package dev.tokenmill.jobs.bench;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.cli.LakeCommand;
import dev.tokenmill.jobs.cli.TrainQualityModelCommand;
import dev.tokenmill.jobs.report.Charts;
import dev.tokenmill.jobs.util.Json;
import dev.tokenmill.mixing.augment.TextAugmenter;
import dev.tokenmill.quality.active.LabelQueue;
import dev.tokenmill.quality.score.QualityClassifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A simulated-oracle benchmark of {@code label-queue}'s strategies (a simulation: the labeller is the known truth).
 * Gutenberg passages are the good class; the bad class is built from other passages by construction — word salad,
 * web boilerplate around a fragment, OCR/typo noise, repeated lines, keyword stuffing — so every label is known.
 * Each strategy starts from the same few random labels, then per round trains the quality classifier (the
 * {@code train-quality-model} pipeline, classes balanced), scores the unlabelled pool, takes {@code --batch} labels
 * picked by {@link LabelQueue} (the verb's kernel), and measures F1 and ROC AUC on a held-out set. Reported: the
 * curves (mean over seeds), and the labels each strategy needs to reach 95 % of the F1 of a model trained on the
 * whole labelled pool.
 */
@Command(
        name = "active-learning",
        mixinStandardHelpOptions = true,
        description =
                "Benchmark (simulated oracle): labels needed by uncertainty, diverse and random sampling to reach "
                        + "95% of the full-pool F1 of the quality classifier, on Gutenberg passages vs constructed bad pages.")
public final class BenchActiveLearningCommand extends LakeCommand {
    @Option(names = "--input", required = true, description = "Gutenberg JSONL(.gz) books.")
    Path input;

    @Option(names = "--work-dir", required = true, description = "Folder for the curves (JSON) and the chart (PNG).")
    Path workDir;

    @Option(names = "--pool", defaultValue = "2000", description = "Unlabelled pool size (default ${DEFAULT-VALUE}).")
    int poolSize;

    @Option(names = "--test", defaultValue = "1000", description = "Held-out set size (default ${DEFAULT-VALUE}).")
    int testSize;

    @Option(
            names = "--bad-share",
            defaultValue = "0.9",
            description = "Share of constructed bad pages (default ${DEFAULT-VALUE}).")
    double badShare;

    @Option(
            names = "--start",
            defaultValue = "20",
            description = "Random labels to start from (default ${DEFAULT-VALUE}).")
    int start;

    @Option(
            names = "--bad-kinds",
            split = ",",
            defaultValue = "boilerplate,stuffing,ocr",
            description = "How bad pages are made: boilerplate, stuffing, ocr, salad, repetition (default "
                    + "${DEFAULT-VALUE})")
    List<String> badKinds;

    @Option(names = "--batch", defaultValue = "50", description = "Labels per round (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--rounds", defaultValue = "16", description = "Rounds per strategy (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--seeds", defaultValue = "3", description = "Seeds per strategy (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(
            names = "--strategies",
            split = ",",
            defaultValue = "uncertainty,diverse,random",
            description = "Strategies (default ${DEFAULT-VALUE}).")
    List<String> strategies;

    @Option(names = "--passage-words", defaultValue = "120", description = "Passage size (default ${DEFAULT-VALUE}).")
    int passageWords;

    @Option(
            names = "--num-features",
            defaultValue = "65536",
            description = "Hashed features (default ${DEFAULT-VALUE}).")
    int numFeatures;

    @Option(names = "--reg", defaultValue = "0.001", description = "L2 regularisation (default ${DEFAULT-VALUE}).")
    double reg;

    @Option(names = "--max-iter", defaultValue = "50", description = "L-BFGS iterations (default ${DEFAULT-VALUE}).")
    int maxIter;

    private static final StructType DOCS = new StructType()
            .add("id", DataTypes.StringType, false)
            .add(QualityClassifier.TEXT, DataTypes.StringType, false)
            .add(QualityClassifier.LABEL, DataTypes.DoubleType, false)
            .add(QualityClassifier.WEIGHT, DataTypes.DoubleType, false);

    record Doc(String id, String text, int label, String kind) {}

    @Override
    public void run() {
        if (start < 2 || batch < 1 || rounds < 1 || seeds < 1) {
            throw new UserError("--start ≥ 2, --batch, --rounds and --seeds ≥ 1");
        }
        if (!BadPages.KINDS.containsAll(badKinds)) {
            throw new UserError("--bad-kinds: each of " + BadPages.KINDS);
        }
        List<LabelQueue.Strategy> chosen = strategies.stream()
                .map(s -> LabelQueue.Strategy.valueOf(s.strip().toUpperCase(Locale.ROOT)))
                .toList();
        List<Doc> docs = corpus();
        List<Doc> pool = docs.subList(0, poolSize);
        List<Doc> test = docs.subList(poolSize, poolSize + testSize);
        Dataset<Row> testDf = frame(test).persist(StorageLevel.MEMORY_ONLY());
        Dataset<Row> poolDf = frame(pool).persist(StorageLevel.MEMORY_ONLY());
        long t0 = System.nanoTime();
        Map<String, Object> full = measure(fit(pool), testDf);
        double fullF1 = ((Number) full.get("f1")).doubleValue();
        out().printf(
                        Locale.ROOT,
                        "pool %,d (%,d bad), test %,d; full-pool model: F1 %.4f, AUC %s; target 95%% = %.4f%n",
                        pool.size(),
                        pool.stream().filter(d -> d.label() == 0).count(),
                        test.size(),
                        fullF1,
                        full.get("roc_auc"),
                        0.95 * fullF1);
        out().flush();
        Map<String, Object> curves = new LinkedHashMap<>();
        Map<String, Object> needed = new LinkedHashMap<>();
        Map<String, List<double[]>> meanCurves = new LinkedHashMap<>();
        for (LabelQueue.Strategy s : chosen) {
            List<List<double[]>> perSeed = new ArrayList<>();
            List<Integer> labelsNeeded = new ArrayList<>();
            for (int seed = 1; seed <= seeds; seed++) {
                List<double[]> curve = simulate(s, seed, pool, poolDf, testDf);
                perSeed.add(curve);
                Integer n = null;
                for (double[] p : curve) {
                    if (p[1] >= 0.95 * fullF1) {
                        n = (int) p[0];
                        break;
                    }
                }
                labelsNeeded.add(n);
                out().printf(
                                Locale.ROOT,
                                "%-11s seed %d: F1 %s; 95%% at %s labels%n",
                                name(s),
                                seed,
                                curve.stream()
                                        .map(p -> String.format(Locale.ROOT, "%.3f", p[1]))
                                        .toList(),
                                n == null ? ">" + (int) curve.get(curve.size() - 1)[0] : n);
                out().flush();
            }
            curves.put(name(s), perSeed);
            needed.put(name(s), labelsNeeded);
            List<double[]> mean = new ArrayList<>();
            for (int i = 0; i < perSeed.get(0).size(); i++) {
                double f1 = 0;
                for (List<double[]> c : perSeed) {
                    f1 += c.get(i)[1];
                }
                mean.add(new double[] {perSeed.get(0).get(i)[0], f1 / perSeed.size()});
            }
            meanCurves.put(name(s), mean);
        }
        Map<String, Object> summary = summary(needed);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("simulated_oracle", true);
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("pool", pool.size());
        setup.put("test", test.size());
        setup.put("bad_share", badShare);
        setup.put("bad_kinds", badKinds);
        setup.put("start", start);
        setup.put("batch", batch);
        setup.put("rounds", rounds);
        setup.put("seeds", seeds);
        setup.put("num_features", numFeatures);
        setup.put("reg", reg);
        setup.put("max_iter", maxIter);
        setup.put("passage_words", passageWords);
        result.put("setup", setup);
        result.put("full_pool", full);
        result.put("labels_to_95pct", needed);
        result.put("summary", summary);
        result.put("curves", curves);
        result.put("seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
        try {
            Files.createDirectories(workDir);
            Files.writeString(workDir.resolve("active-learning.json"), Json.pretty(result));
            List<double[]> target =
                    List.of(new double[] {start, 0.95 * fullF1}, new double[] {start + rounds * batch, 0.95 * fullF1});
            Map<String, List<double[]>> series = new LinkedHashMap<>(meanCurves);
            series.put("95% of full-pool F1", target);
            org.jfree.chart.ChartUtils.saveChartAsPNG(
                    workDir.resolve("active-learning.png").toFile(),
                    Charts.scatter(
                            "Quality classifier F1 vs labels (simulated oracle, mean of " + seeds + " seeds)",
                            "labels",
                            "held-out F1",
                            series,
                            false),
                    800,
                    480);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out().println("labels to 95% of full-pool F1 (mean over seeds; a seed that never got there counts as "
                + (start + rounds * batch) + "): " + summary);
        out().println("curves and setup: " + workDir.resolve("active-learning.json") + ", chart: "
                + workDir.resolve("active-learning.png"));
        out().flush();
        testDf.unpersist();
        poolDf.unpersist();
    }

    private Map<String, Object> summary(Map<String, Object> needed) {
        int cap = start + rounds * batch;
        Map<String, Double> means = new LinkedHashMap<>();
        needed.forEach((k, v) -> {
            @SuppressWarnings("unchecked")
            List<Integer> list = (List<Integer>) v;
            means.put(
                    k,
                    list.stream().mapToInt(n -> n == null ? cap : n).average().orElse(Double.NaN));
        });
        Map<String, Object> s = new LinkedHashMap<>(means);
        Double random = means.get("random");
        if (random != null) {
            means.forEach((k, v) -> {
                if (!k.equals("random")) {
                    s.put(k + "_vs_random", Math.round(v / random * 1000) / 1000.0);
                }
            });
        }
        return s;
    }

    /** One learning curve: {labels, F1, AUC} after each round's training. */
    private List<double[]> simulate(
            LabelQueue.Strategy s, int seed, List<Doc> pool, Dataset<Row> poolDf, Dataset<Row> testDf) {
        List<Doc> labelled = initial(pool, seed);
        Set<String> taken = new HashSet<>();
        labelled.forEach(d -> taken.add(d.id()));
        Map<String, Doc> byId = new HashMap<>();
        pool.forEach(d -> byId.put(d.id(), d));
        List<double[]> curve = new ArrayList<>();
        for (int round = 0; ; round++) {
            PipelineModel model = fit(labelled);
            Map<String, Object> m = measure(model, testDf);
            curve.add(new double[] {
                labelled.size(),
                ((Number) m.get("f1")).doubleValue(),
                m.get("roc_auc") == null ? Double.NaN : ((Number) m.get("roc_auc")).doubleValue()
            });
            if (round == rounds) {
                return curve;
            }
            List<LabelQueue.Candidate> candidates = new ArrayList<>();
            for (Row r : model.transform(poolDf)
                    .select(col("id"), QualityClassifier.positiveProbability(), col(QualityClassifier.TERM_COUNTS))
                    .collectAsList()) {
                if (!taken.contains(r.getString(0))) {
                    candidates.add(new LabelQueue.Candidate(
                            r.getString(0), null, r.getDouble(1), QualityClassifier.terms((Vector) r.get(2))));
                }
            }
            for (LabelQueue.Candidate c : LabelQueue.pick(candidates, batch, s, seed * 1000L + round)) {
                taken.add(c.id());
                labelled.add(byId.get(c.id()));
            }
        }
    }

    /** The same random start for every strategy of a seed, with both classes in it. */
    private List<Doc> initial(List<Doc> pool, int seed) {
        List<Doc> shuffled = new ArrayList<>(pool);
        Collections.shuffle(shuffled, new Random(seed));
        List<Doc> start = new ArrayList<>(shuffled.subList(0, this.start));
        for (int label = 0; label <= 1; label++) {
            final int l = label;
            if (start.stream().noneMatch(d -> d.label() == l)) {
                start.set(
                        l,
                        shuffled.stream()
                                .filter(d -> d.label() == l)
                                .findFirst()
                                .orElseThrow());
            }
        }
        return start;
    }

    private PipelineModel fit(List<Doc> labelled) {
        long pos = labelled.stream().filter(d -> d.label() == 1).count();
        long neg = labelled.size() - pos;
        double total = labelled.size();
        List<Row> rows = new ArrayList<>();
        for (Doc d : labelled) {
            double w = d.label() == 1 ? total / (2 * Math.max(1, pos)) : total / (2 * Math.max(1, neg));
            rows.add(RowFactory.create(d.id(), d.text(), (double) d.label(), w));
        }
        return QualityClassifier.pipeline(numFeatures, reg, maxIter)
                .fit(lake().spark().createDataFrame(rows, DOCS));
    }

    private static Map<String, Object> measure(PipelineModel model, Dataset<Row> test) {
        return TrainQualityModelCommand.evaluate(model.transform(test));
    }

    private Dataset<Row> frame(List<Doc> docs) {
        List<Row> rows = new ArrayList<>();
        for (Doc d : docs) {
            rows.add(RowFactory.create(d.id(), d.text(), (double) d.label(), 1.0));
        }
        return lake().spark().createDataFrame(rows, DOCS).repartition(2);
    }

    /** Passages, shuffled (seed 0), a share of them turned into bad pages by construction. */
    private List<Doc> corpus() {
        Path passages = Passages.write(input, workDir.resolve("passages.jsonl.gz"), passageWords);
        List<String> texts = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(passages)), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                JsonNode n = Json.read(line);
                String text = n.path("text").asText().strip();
                if (text.split("\\s+").length >= passageWords / 2) {
                    texts.add(text);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Collections.shuffle(texts, new Random(0));
        if (texts.size() < poolSize + testSize) {
            throw new UserError("only " + texts.size() + " passages in " + input + "; lower --pool / --test");
        }
        Random r = new Random(1);
        List<Doc> docs = new ArrayList<>();
        for (int i = 0; i < poolSize + testSize; i++) {
            String text = texts.get(i);
            if (r.nextDouble() < badShare) {
                String kind = badKinds.get(r.nextInt(badKinds.size()));
                docs.add(new Doc("d" + i, BadPages.make(kind, text, new SplittableRandom(i)), 0, kind));
            } else {
                docs.add(new Doc("d" + i, text, 1, "passage"));
            }
        }
        return docs;
    }

    private static String name(LabelQueue.Strategy s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    /** Bad pages by construction, each from a clean passage, so the label is known without a labeller. */
    static final class BadPages {
        static final List<String> KINDS = List.of("salad", "boilerplate", "ocr", "repetition", "stuffing");
        private static final String[] WEB = {
            "Home | About us | Contact | Privacy policy",
            "Click here to subscribe to our newsletter",
            "Share this: Facebook Twitter Pinterest Email",
            "We use cookies to improve your experience. Accept all cookies",
            "Copyright © 2019 All rights reserved.",
            "Read more >>",
            "Sign in | Register | Forgot password?",
            "Related posts:",
            "Posted by admin in Uncategorized | Leave a comment",
            "Buy now and get free shipping on orders over $50!"
        };
        private static final String[] STUFF = {
            "best", "cheap", "online", "free", "download", "pdf", "ebook", "review", "top", "deals", "2019", "sale"
        };

        private BadPages() {}

        static String make(String kind, String text, SplittableRandom r) {
            String[] words = text.split("\\s+");
            return switch (kind) {
                case "salad" -> {
                    List<String> w = new ArrayList<>(List.of(words));
                    Collections.shuffle(w, new Random(r.nextLong()));
                    yield String.join(" ", w);
                }
                case "boilerplate" -> {
                    StringBuilder b = new StringBuilder();
                    for (int i = 0; i < 3; i++) {
                        b.append(WEB[r.nextInt(WEB.length)]).append('\n');
                    }
                    b.append(String.join(" ", List.of(words).subList(0, Math.max(1, words.length / 3))))
                            .append('\n');
                    for (int i = 0; i < 4; i++) {
                        b.append(WEB[r.nextInt(WEB.length)]).append('\n');
                    }
                    yield b.toString().strip();
                }
                case "ocr" ->
                    new TextAugmenter(
                                    List.of(new TextAugmenter.Op("ocr", 1, 0.3), new TextAugmenter.Op("typo", 1, 0.08)),
                                    "<mask>")
                            .apply(text, r.nextLong())
                            .text();
                case "repetition" -> {
                    String[] lines = text.split("\n");
                    StringBuilder b = new StringBuilder();
                    String repeated = lines[r.nextInt(lines.length)];
                    for (String line : lines) {
                        b.append(line).append('\n');
                        if (r.nextInt(3) == 0) {
                            b.append(repeated).append('\n').append(repeated).append('\n');
                        }
                    }
                    yield b.toString().strip();
                }
                case "stuffing" -> {
                    StringBuilder b = new StringBuilder();
                    for (String w : words) {
                        b.append(w).append(' ');
                        if (r.nextInt(6) == 0) {
                            b.append(STUFF[r.nextInt(STUFF.length)]).append(' ');
                        }
                    }
                    yield b.toString().strip();
                }
                default -> throw new IllegalArgumentException(kind);
            };
        }
    }
}
