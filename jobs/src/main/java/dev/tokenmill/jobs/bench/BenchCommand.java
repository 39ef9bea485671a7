package dev.tokenmill.jobs.bench;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tokenmill bench NAME}: the benchmarks, apart from the user verbs. Each runs tokenmill against its peer in
 * the same run (docs/benchmarks.md); the old one-word forms ({@code bench-filter}) still work.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks against peers (docs/benchmarks.md): tokenmill bench NAME --help.",
        subcommands = {
            BenchIngestCommand.class,
            BenchFilterCommand.class,
            BenchLangIdCommand.class,
            BenchMinhashCommand.class,
            BenchDedupCommand.class,
            BenchMixCommand.class,
            BenchTokenizerCommand.class,
            BenchUnigramCommand.class,
            BenchEncodeCommand.class,
            BenchPretrainCommand.class,
            BenchGenerateCommand.class,
            BenchActiveLearningCommand.class,
            BenchAugmentCommand.class
        })
public final class BenchCommand implements Runnable {
    /** The benchmark names, each also accepted as the single verb {@code bench-NAME}. */
    public static final List<String> NAMES = List.of(
            "ingest", "filter", "langid", "minhash", "dedup", "mix", "tokenizer", "unigram", "encode", "pretrain");

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing benchmark name (" + String.join(", ", NAMES) + ")");
    }

    /** {@code bench-NAME ARGS} as {@code bench NAME ARGS}: the first argument that is such a verb is split in two. */
    public static String[] splitOldVerb(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("bench")) {
                return args;
            }
            if (args[i].startsWith("bench-") && NAMES.contains(args[i].substring(6))) {
                String[] out = new String[args.length + 1];
                System.arraycopy(args, 0, out, 0, i);
                out[i] = "bench";
                out[i + 1] = args[i].substring(6);
                System.arraycopy(args, i + 1, out, i + 2, args.length - i - 1);
                return out;
            }
        }
        return args;
    }
}
