package dev.tokenmill.notebooks.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code java … KernelMain CONNECTION_FILE}: what Jupyter starts (kernel.json's argv). */
public final class KernelMain {
    private KernelMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println(
                    "usage: KernelMain CONNECTION_FILE (Jupyter passes it; install with: bin/tokenmill kernel install)");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        // the base kernel logs every message at INFO through java.util.logging: keep warnings only
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        for (var h : java.util.logging.Logger.getLogger("").getHandlers()) {
            h.setLevel(java.util.logging.Level.WARNING);
        }
        KernelConnectionProperties props =
                KernelConnectionProperties.parse(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8));
        JupyterConnection connection = new JupyterConnection(props);
        JavaKernel kernel = new JavaKernel(System.getProperty("java.class.path"));
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
        // Spark and JShell leave non-daemon threads behind: a shut-down kernel must not linger
        System.exit(0);
    }
}
