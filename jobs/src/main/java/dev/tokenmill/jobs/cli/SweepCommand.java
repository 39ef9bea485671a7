package dev.tokenmill.jobs.cli;

import picocli.CommandLine.Command;

/** Runs a sweep spec: {@code name}, optional {@code seed} and {@code output}, the rest the sweep step's parameters. */
@Command(
        name = "sweep",
        mixinStandardHelpOptions = true,
        description = "Train a set of small proxy models, one Spark task per run, and write one row per run to "
                + "sweeps/NAME (resumable: finished runs are kept). SPEC.yaml: name, seed, base, runs, seeds, eval.")
public final class SweepCommand extends SpecStepCommand {
    @Override
    String kind() {
        return "sweep";
    }
}
