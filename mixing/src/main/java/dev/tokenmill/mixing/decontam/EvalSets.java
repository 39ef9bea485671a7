package dev.tokenmill.mixing.decontam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenmill.core.Resources;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * Loads evaluation sets the user supplies, from files or folders on any Hadoop file system. One benchmark per
 * file (named by the file, extensions dropped). JSONL (optionally .gz): one example per line, its string values
 * (all of them, or the named {@code fields}; arrays of strings included) joined by spaces. Text: one passage per
 * paragraph (blank-line separated). The SHA-256 of every file goes into the stage's fingerprint.
 */
public final class EvalSets {
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Loaded(Map<String, List<String>> passages, Map<String, String> sha256) {}

    private EvalSets() {}

    /** Reads every evaluation set under {@code paths} (files, or folders of files) through the runner's resources. */
    public static Loaded load(List<String> paths, Set<String> fields, Resources resources) throws IOException {
        Map<String, List<String>> passages = new TreeMap<>();
        Map<String, String> stamps = new LinkedHashMap<>();
        for (String p : paths) {
            if (!resources.exists(p)) {
                throw new IllegalArgumentException("evaluation set " + resources.resolve(p) + " does not exist");
            }
            for (String f : resources.files(p)) {
                byte[] bytes = resources.read(f);
                String fileName = f.substring(f.lastIndexOf('/') + 1);
                String name = fileName.replaceAll("(\\.(jsonl|json|txt|gz))+$", "");
                if (passages.containsKey(name)) {
                    throw new IllegalArgumentException("two evaluation sets are named '" + name + "'");
                }
                passages.put(name, parse(fileName, bytes, fields));
                stamps.put(f, sha256(bytes));
            }
        }
        if (passages.isEmpty()) {
            throw new IllegalArgumentException("no evaluation set files under " + paths);
        }
        return new Loaded(passages, stamps);
    }

    static List<String> parse(String fileName, byte[] bytes, Set<String> fields) throws IOException {
        InputStream raw = new java.io.ByteArrayInputStream(bytes);
        if (fileName.endsWith(".gz")) {
            raw = new GZIPInputStream(raw);
        }
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8))) {
            if (fileName.matches(".*\\.jsonl?(\\.gz)?$")) {
                int lineNo = 0;
                for (String line; (line = r.readLine()) != null; ) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode node;
                    try {
                        node = JSON.readTree(line);
                    } catch (IOException e) {
                        throw new IllegalArgumentException(fileName + " line " + lineNo + " is not JSON: "
                                + e.getMessage().lines().findFirst().orElse(""));
                    }
                    StringBuilder sb = new StringBuilder();
                    collect(node, fields, null, sb);
                    if (sb.length() > 0) {
                        out.add(sb.toString());
                    }
                }
            } else {
                StringBuilder para = new StringBuilder();
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.isBlank()) {
                        if (para.length() > 0) {
                            out.add(para.toString());
                            para.setLength(0);
                        }
                    } else {
                        para.append(para.length() == 0 ? "" : " ").append(line);
                    }
                }
                if (para.length() > 0) {
                    out.add(para.toString());
                }
            }
        }
        return out;
    }

    private static void collect(JsonNode node, Set<String> fields, String field, StringBuilder sb) {
        if (node.isTextual()) {
            if (fields.isEmpty() || (field != null && fields.contains(field))) {
                sb.append(sb.length() == 0 ? "" : " ").append(node.asText());
            }
        } else if (node.isArray()) {
            node.forEach(c -> collect(c, fields, field, sb));
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> collect(e.getValue(), fields, field == null ? e.getKey() : field, sb));
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
