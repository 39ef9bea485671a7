package dev.tokenmill.jobs.cli;

import picocli.CommandLine.Command;

/** Runs a RegMix mixture search spec: {@code name}, optional {@code seed} and {@code output}, the step's parameters. */
@Command(
        name = "mix-search",
        mixinStandardHelpOptions = true,
        description = "RegMix: train proxy models on random mixtures of SOURCES (one Spark task each, resumable), fit "
                + "a regression from weights to the target loss, search many mixtures and write the predicted best as "
                + "a mix step. SPEC.yaml: name, seed, sources, base, runs, held_out_runs, eval, target.")
public final class MixSearchCommand extends SpecStepCommand {
    @Override
    String kind() {
        return "mix-search";
    }
}
