package dev.tokenmill.tokenizer.bpe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Hugging Face {@code tokenizer.json} for a byte-level BPE: GPT-2 style (ByteLevel pre-tokenizer with its built-in
 * regex) for the gpt2 pre-tokenizer, else a Sequence of a Split on our regex (Isolated) and ByteLevel without regex,
 * as Llama-3 ships it. Special tokens are added tokens (special = true) with their vocabulary ids.
 */
public final class TokenizerJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenizerJson() {}

    public static void write(BpeModel model, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, toJson(model));
    }

    /** The tokenizer.json text of {@code model}. */
    public static String toJson(BpeModel model) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String special : model.specialTokens()) {
            ObjectNode t = added.addObject();
            t.put("id", model.id(special));
            t.put("content", special);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        root.putNull("normalizer");
        PreTokenizer p = model.preTokenizer();
        if (p.name().equals("gpt2")) {
            root.set("pre_tokenizer", byteLevel(true));
        } else {
            ObjectNode seq = root.putObject("pre_tokenizer");
            seq.put("type", "Sequence");
            ArrayNode list = seq.putArray("pretokenizers");
            ObjectNode split = list.addObject();
            split.put("type", "Split");
            split.putObject("pattern").put("Regex", p.regex());
            split.put("behavior", "Isolated");
            split.put("invert", false);
            list.add(byteLevel(false));
        }
        root.putNull("post_processor");
        root.set("decoder", byteLevel(true));
        ObjectNode m = root.putObject("model");
        m.put("type", "BPE");
        m.putNull("dropout");
        m.putNull("unk_token");
        m.putNull("continuing_subword_prefix");
        m.putNull("end_of_word_suffix");
        m.put("fuse_unk", false);
        m.put("byte_fallback", false);
        m.put("ignore_merges", false);
        ObjectNode vocab = m.putObject("vocab");
        for (int i = 0; i < model.vocab().size(); i++) {
            vocab.put(model.vocab().get(i), i);
        }
        ArrayNode merges = m.putArray("merges");
        for (String[] pair : model.mergeStrings()) {
            merges.addArray().add(pair[0]).add(pair[1]);
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the tokenizer", e);
        }
    }

    /**
     * Reads a byte-level BPE {@code tokenizer.json} (ours, or one in the same layout: GPT-2 ByteLevel or a Split
     * regex + ByteLevel sequence; merges as pairs or "a b" strings). Other model types are refused by name.
     */
    public static BpeModel read(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    /** As {@link #read(Path)}, from the JSON text; {@code source} names it in errors. */
    public static BpeModel parse(String json, String source) throws IOException {
        String file = source;
        com.fasterxml.jackson.databind.JsonNode root = JSON.readTree(json);
        com.fasterxml.jackson.databind.JsonNode m = root.path("model");
        if (!"BPE".equals(m.path("type").asText())) {
            throw new IllegalArgumentException(
                    file + ": model type '" + m.path("type").asText() + "' is not BPE");
        }
        int size = m.path("vocab").size();
        String[] vocab = new String[size];
        m.path("vocab").fields().forEachRemaining(e -> vocab[e.getValue().asInt()] = e.getKey());
        java.util.Map<String, Integer> ids = new java.util.HashMap<>();
        for (int i = 0; i < size; i++) {
            if (vocab[i] == null) {
                throw new IllegalArgumentException(file + ": vocabulary ids are not 0.." + (size - 1));
            }
            ids.put(vocab[i], i);
        }
        java.util.List<int[]> merges = new java.util.ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode merge : m.path("merges")) {
            String left;
            String right;
            if (merge.isArray()) {
                left = merge.get(0).asText();
                right = merge.get(1).asText();
            } else {
                String[] parts = merge.asText().split(" ", 2);
                left = parts[0];
                right = parts[1];
            }
            merges.add(new int[] {ids.get(left), ids.get(right)});
        }
        java.util.List<String> specials = new java.util.ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode t : root.path("added_tokens")) {
            if (t.path("special").asBoolean()) {
                specials.add(t.path("content").asText());
            }
        }
        PreTokenizer pre = PreTokenizer.of("gpt2");
        com.fasterxml.jackson.databind.JsonNode p = root.path("pre_tokenizer");
        if ("Sequence".equals(p.path("type").asText())) {
            for (com.fasterxml.jackson.databind.JsonNode step : p.path("pretokenizers")) {
                if ("Split".equals(step.path("type").asText())) {
                    String regex = step.path("pattern").path("Regex").asText();
                    pre = PreTokenizer.of(regex.equals(PreTokenizer.LLAMA3) ? "llama3" : regex);
                }
            }
        }
        return new BpeModel(java.util.List.of(vocab), merges, specials).withPreTokenizer(pre);
    }

    private static ObjectNode byteLevel(boolean useRegex) {
        ObjectNode b = JSON.createObjectNode();
        b.put("type", "ByteLevel");
        b.put("add_prefix_space", false);
        b.put("trim_offsets", true);
        b.put("use_regex", useRegex);
        return b;
    }
}
