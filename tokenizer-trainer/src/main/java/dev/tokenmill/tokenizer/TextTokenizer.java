package dev.tokenmill.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenmill.tokenizer.bpe.TokenizerJson;
import dev.tokenmill.tokenizer.unigram.UnigramJson;
import java.io.IOException;

/** What the tokenize stage needs of a trained tokenizer, BPE or Unigram: thread-safe encode/decode and ids. */
public interface TextTokenizer {
    int[] encode(String text);

    String decode(int[] ids);

    /** The id of a token (a special token, a piece), or -1. */
    int id(String token);

    int vocabSize();

    /** Tokens that mark structure rather than text (end of document and the like). */
    java.util.List<String> specialTokens();

    /** Parses a tokenizer.json of either model type (by its {@code model.type}). */
    static TextTokenizer parseJson(String json, String source) throws IOException {
        String type =
                new ObjectMapper().readTree(json).path("model").path("type").asText();
        return switch (type) {
            case "BPE" -> TokenizerJson.parse(json, source);
            case "Unigram" -> UnigramJson.parse(json, source);
            default ->
                throw new IllegalArgumentException(source + ": model type '" + type + "' is neither BPE nor Unigram");
        };
    }
}
