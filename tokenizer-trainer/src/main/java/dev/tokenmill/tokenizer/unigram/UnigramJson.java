package dev.tokenmill.tokenizer.unigram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Hugging Face {@code tokenizer.json} for a Unigram model, in the layout HF's own SentencePiece conversion uses:
 * a {@code Precompiled} normaliser holding our character map (then, with remove_extra_whitespaces, runs of
 * spaces collapsed and spaces at both ends removed), a {@code Metaspace} pre-tokenizer that prepends {@code ▁} and does not
 * split (one lattice per text, like SentencePiece), the Unigram model (vocab as [piece, log-probability] pairs,
 * id = position) and a decoder that maps {@code ▁} back, joins byte pieces and drops the leading space.
 */
public final class UnigramJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private UnigramJson() {}

    public static String toJson(UnigramModel model) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < model.size(); i++) {
            UnigramModel.Type t = model.type(i);
            if (t == UnigramModel.Type.UNKNOWN || t == UnigramModel.Type.CONTROL) {
                ObjectNode a = added.addObject();
                a.put("id", i);
                a.put("content", model.pieces().get(i));
                a.put("single_word", false);
                a.put("lstrip", false);
                a.put("rstrip", false);
                a.put("normalized", false);
                a.put("special", true);
            }
        }
        SpmNormalizer n = model.normalizer();
        List<ObjectNode> normalizers = new ArrayList<>();
        if (!n.charsMap().isIdentity()) {
            ObjectNode p = JSON.createObjectNode();
            p.put("type", "Precompiled");
            p.put(
                    "precompiled_charsmap",
                    Base64.getEncoder().encodeToString(n.charsMap().toPrecompiled()));
            normalizers.add(p);
        }
        if (n.removeExtraWhitespaces()) {
            ObjectNode r = JSON.createObjectNode();
            r.put("type", "Replace");
            r.putObject("pattern").put("Regex", " {2,}");
            r.put("content", " ");
            normalizers.add(r);
            // not HF's Strip: it strips tabs and newlines too, SentencePiece only spaces
            ObjectNode ends = JSON.createObjectNode();
            ends.put("type", "Replace");
            ends.putObject("pattern").put("Regex", "\\A +| +\\z");
            ends.put("content", "");
            normalizers.add(ends);
        }
        if (normalizers.isEmpty()) {
            root.putNull("normalizer");
        } else {
            ObjectNode seq = root.putObject("normalizer");
            seq.put("type", "Sequence");
            seq.putArray("normalizers").addAll(normalizers);
        }
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Metaspace");
        pre.put("replacement", String.valueOf(SpmNormalizer.SPACE));
        pre.put("prepend_scheme", n.addDummyPrefix() ? "always" : "never");
        pre.put("split", false);
        root.putNull("post_processor");
        ObjectNode dec = root.putObject("decoder");
        dec.put("type", "Sequence");
        ArrayNode decoders = dec.putArray("decoders");
        ObjectNode replace = decoders.addObject();
        replace.put("type", "Replace");
        replace.putObject("pattern").put("String", String.valueOf(SpmNormalizer.SPACE));
        replace.put("content", " ");
        decoders.addObject().put("type", "ByteFallback");
        decoders.addObject().put("type", "Fuse");
        if (n.addDummyPrefix()) {
            ObjectNode strip = decoders.addObject();
            strip.put("type", "Strip");
            strip.put("content", " ");
            strip.put("start", 1);
            strip.put("stop", 0);
        }
        ObjectNode m = root.putObject("model");
        m.put("type", "Unigram");
        m.put("unk_id", model.unkId());
        ArrayNode vocab = m.putArray("vocab");
        for (int i = 0; i < model.size(); i++) {
            vocab.addArray().add(model.pieces().get(i)).add((double) model.score(i));
        }
        m.put("byte_fallback", model.byteFallback());
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the tokenizer", e);
        }
    }

    /** Reads a Unigram tokenizer.json in the layout above (ours or HF's SentencePiece conversion). */
    public static UnigramModel parse(String json, String source) throws IOException {
        JsonNode root = JSON.readTree(json);
        JsonNode m = root.path("model");
        if (!"Unigram".equals(m.path("type").asText())) {
            throw new IllegalArgumentException(
                    source + ": model type '" + m.path("type").asText() + "' is not Unigram");
        }
        Set<Integer> control = new HashSet<>();
        for (JsonNode a : root.path("added_tokens")) {
            if (a.path("special").asBoolean()) {
                control.add(a.path("id").asInt());
            }
        }
        boolean byteFallback = m.path("byte_fallback").asBoolean(false);
        int unk = m.path("unk_id").asInt(0);
        List<String> pieces = new ArrayList<>();
        List<UnigramModel.Type> types = new ArrayList<>();
        JsonNode vocab = m.path("vocab");
        float[] scores = new float[vocab.size()];
        for (int i = 0; i < vocab.size(); i++) {
            String piece = vocab.get(i).get(0).asText();
            pieces.add(piece);
            scores[i] = (float) vocab.get(i).get(1).asDouble();
            UnigramModel.Type type = UnigramModel.Type.NORMAL;
            if (i == unk) {
                type = UnigramModel.Type.UNKNOWN;
            } else if (control.contains(i)) {
                type = UnigramModel.Type.CONTROL;
            } else if (byteFallback && piece.matches("<0x[0-9A-F]{2}>")) {
                type = UnigramModel.Type.BYTE;
            }
            types.add(type);
        }
        CharsMap map = CharsMap.identity();
        boolean removeWhitespace = false;
        for (JsonNode nz : root.path("normalizer").path("normalizers")) {
            switch (nz.path("type").asText()) {
                case "Precompiled" ->
                    map = CharsMap.fromPrecompiled(Base64.getDecoder()
                            .decode(nz.path("precompiled_charsmap").asText()));
                case "Replace" -> removeWhitespace = true;
                default -> {}
            }
        }
        boolean prefix = !"never"
                .equals(root.path("pre_tokenizer").path("prepend_scheme").asText("always"));
        SpmNormalizer normalizer =
                new SpmNormalizer(map.isIdentity() ? "identity" : "precompiled", map, prefix, removeWhitespace);
        return new UnigramModel(pieces, scores, types, normalizer, byteFallback);
    }
}
