package dev.tokenmill.train.infer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tokenmill.tokenizer.TextTokenizer;
import dev.tokenmill.train.ckpt.Checkpoints;
import dev.tokenmill.train.ckpt.SafeTensors;
import dev.tokenmill.train.model.ModelConfig;
import dev.tokenmill.train.model.ParameterNames;
import dev.tokenmill.train.model.Section;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint as a folder Hugging Face {@code transformers} loads with {@code LlamaForCausalLM.from_pretrained} and
 * {@code AutoTokenizer.from_pretrained}: the weights merged from any dp × pp sharding into {@code model.safetensors}
 * (or shards of at most {@code maxShardBytes} with {@code model.safetensors.index.json}), {@code config.json} with
 * the bos/eos ids, {@code generation_config.json}, and the tokenizer as {@code tokenizer.json},
 * {@code tokenizer_config.json} and {@code special_tokens_map.json}. No optimizer state.
 */
public final class HfExport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What was written: the files, the tensors and their bytes. */
    public record Result(List<String> files, int tensors, long bytes) {}

    private HfExport() {}

    /** {@code eos}: the end-of-text token (also bos: GPT-2-style tokenizers use one token for both), or null. */
    public static Result write(Path checkpoint, String tokenizerJson, String eos, Path out, long maxShardBytes)
            throws IOException {
        ModelConfig config = ModelConfig.fromHuggingFace(Checkpoints.hfConfig(checkpoint));
        TextTokenizer tokenizer = TextTokenizer.parseJson(tokenizerJson, "tokenizer.json");
        if (tokenizer.vocabSize() > config.vocabSize()) {
            throw new IllegalArgumentException("the tokenizer has " + tokenizer.vocabSize() + " tokens, the model "
                    + config.vocabSize() + ": not the tokenizer this model was trained with");
        }
        List<ParameterNames.Spec> specs = ParameterNames.of(config, Section.of(config, 0, 1));
        Map<String, float[]> weights = Checkpoints.read(
                checkpoint,
                "model",
                specs.stream().map(ParameterNames.Spec::name).toList());
        Files.createDirectories(out);
        List<Map<String, SafeTensors.Tensor>> shards = new ArrayList<>();
        Map<String, SafeTensors.Tensor> current = new LinkedHashMap<>();
        long currentBytes = 0;
        long total = 0;
        for (ParameterNames.Spec s : specs) {
            long bytes = 4 * s.size();
            if (!current.isEmpty() && currentBytes + bytes > maxShardBytes) {
                shards.add(current);
                current = new LinkedHashMap<>();
                currentBytes = 0;
            }
            current.put(s.name(), SafeTensors.of(s.shape(), weights.get(s.name())));
            currentBytes += bytes;
            total += bytes;
        }
        shards.add(current);
        List<String> files = new ArrayList<>();
        Map<String, String> meta = Map.of("format", "pt");
        if (shards.size() == 1) {
            SafeTensors.write(out.resolve("model.safetensors"), shards.get(0), meta);
            files.add("model.safetensors");
        } else {
            Map<String, String> weightMap = new LinkedHashMap<>();
            for (int i = 0; i < shards.size(); i++) {
                String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
                SafeTensors.write(out.resolve(name), shards.get(i), meta);
                shards.get(i).keySet().forEach(k -> weightMap.put(k, name));
                files.add(name);
            }
            Map<String, Object> index = new LinkedHashMap<>();
            index.put("metadata", Map.of("total_size", total));
            index.put("weight_map", weightMap);
            JSON.writeValue(out.resolve("model.safetensors.index.json").toFile(), index);
            files.add("model.safetensors.index.json");
        }
        int eosId = eos == null ? -1 : tokenizer.id(eos);
        Map<String, Object> hf = new LinkedHashMap<>(config.toHuggingFace());
        if (eosId >= 0) {
            hf.put("bos_token_id", eosId);
            hf.put("eos_token_id", eosId);
        }
        JSON.writeValue(out.resolve("config.json").toFile(), hf);
        Map<String, Object> generation = new LinkedHashMap<>();
        if (eosId >= 0) {
            generation.put("bos_token_id", eosId);
            generation.put("eos_token_id", eosId);
        }
        generation.put("max_length", config.seqLen());
        generation.put("do_sample", false);
        JSON.writeValue(out.resolve("generation_config.json").toFile(), generation);
        Files.writeString(out.resolve("tokenizer.json"), tokenizerJson);
        Map<String, Object> tokenizerConfig = new LinkedHashMap<>();
        tokenizerConfig.put("tokenizer_class", "PreTrainedTokenizerFast");
        tokenizerConfig.put("model_max_length", config.seqLen());
        tokenizerConfig.put("clean_up_tokenization_spaces", false);
        Map<String, Object> specials = new LinkedHashMap<>();
        if (eosId >= 0) {
            for (String k : List.of("bos_token", "eos_token", "unk_token")) {
                tokenizerConfig.put(k, eos);
                specials.put(k, eos);
            }
        }
        JSON.writeValue(out.resolve("tokenizer_config.json").toFile(), tokenizerConfig);
        JSON.writeValue(out.resolve("special_tokens_map.json").toFile(), specials);
        files.addAll(List.of(
                "config.json",
                "generation_config.json",
                "tokenizer.json",
                "tokenizer_config.json",
                "special_tokens_map.json"));
        return new Result(files, specs.size(), total);
    }
}
