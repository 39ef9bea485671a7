package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.recipe.Stages;
import dev.tokenmill.jobs.util.TextTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "stages", mixinStandardHelpOptions = true, description = "List the stages a recipe can use.")
public final class StagesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        TextTable t = new TextTable(120, "stage", "what it does");
        t.row("ingest", "raw files (jsonl[.gz|.zst], parquet, text, tsv; local or s3a://) → raw/SOURCE + quarantine/SOURCE");
        t.row("train-lm", "a Kneser-Ney word n-gram model from a table (params: where, order) for the score stage's perplexity");
        t.row("train-tokenizer", "a byte-level BPE or Unigram tokenizer from a table (params: type, vocab_size, min_frequency, special_tokens, pre_tokenizer, where, …)");
        t.row("tokenize", "encode a table with a trained tokenizer and pack samples of seq_len + 1 tokens, EOS between documents (params: tokenizer, seq_len, eos)");
        t.row("mix", "a weighted, seeded mixture of tables (params: sources, unit, target or target_scale, temperature, balance_by, order_by, phases)");
        t.row("pretrain", "train a Llama-style decoder on a tokenize table, dp × pp ranks in a Spark barrier stage (params: layers, d_model, heads, kv_heads, seq_len, steps, dp, pp, …)");
        Stages.all().forEach((name, f) -> t.row(name, f.description()));
        t.print(spec.commandLine().getOut());
        spec.commandLine().getOut().flush();
    }
}
