package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kernel install}: listed here so that {@code --help} shows it; bin/tokenmill runs it itself, with the notebooks
 * module's classpath (notebooks/, {@code KernelSpec}), which this JVM does not have.
 */
@Command(
        name = "kernel",
        mixinStandardHelpOptions = true,
        description = "Install the Java Jupyter kernel for the notebooks (bin/tokenmill kernel install).")
public final class KernelCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "install")
    String action;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Jupyter data folder (default Jupyter's own).")
    String dataDir;

    @Option(names = "--name", paramLabel = "NAME", description = "Kernel name (default tokenmill-java).")
    String name;

    @Override
    public void run() {
        throw new UserError(
                "kernel: run it as bin/tokenmill kernel install (it needs the notebooks module's classpath)");
    }
}
