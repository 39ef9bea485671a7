package dev.tokenmill.notebooks.kernel;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the kernel's {@code kernel.json} (Jupyter's kernel spec) into {@code DATA_DIR/kernels/NAME/}: the java
 * command with the JVM flags and classpath it is given, so Jupyter starts the kernel exactly as bin/tokenmill runs
 * the jobs. {@code bin/tokenmill kernel install [--data-dir DIR] [--name NAME]} calls it.
 */
public final class KernelSpec {
    public static final String DEFAULT_NAME = "tokenmill-java";

    private KernelSpec() {}

    /** Arguments: [kernel] install [--data-dir DIR] [--name NAME] --java JAVA --classpath CP [--home DIR] -- JVM_FLAGS… */
    public static void main(String[] args) {
        try {
            Path written = install(args);
            System.out.println("installed kernel spec " + written);
            System.out.println("start Jupyter and pick \"Java (tokenmill)\", e.g.: jupyter lab notebooks/");
        } catch (IllegalArgumentException e) {
            System.err.println("tokenmill: kernel: " + e.getMessage());
            System.exit(2);
        } catch (IOException e) {
            // Files.createDirectories and friends put only the path in the message: name what went wrong too
            System.err.println("tokenmill: kernel: cannot write the kernel spec: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage());
            System.exit(2);
        }
    }

    static Path install(String[] args) throws IOException {
        String dataDir = null;
        String name = DEFAULT_NAME;
        String java = null;
        String classpath = null;
        String home = null;
        List<String> jvmFlags = new ArrayList<>();
        boolean sawInstall = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "kernel" -> {}
                case "install" -> sawInstall = true;
                case "--data-dir" -> dataDir = value(args, ++i, a);
                case "--name" -> name = value(args, ++i, a);
                case "--java" -> java = value(args, ++i, a);
                case "--classpath" -> classpath = value(args, ++i, a);
                case "--home" -> home = value(args, ++i, a);
                case "--" -> {
                    jvmFlags.addAll(List.of(args).subList(i + 1, args.length));
                    i = args.length;
                }
                case "-h", "--help" ->
                    throw new IllegalArgumentException(
                            "usage: tokenmill kernel install [--data-dir DIR] [--name NAME] (DIR default: $JUPYTER_DATA_DIR, else ~/.local/share/jupyter)");
                default ->
                    throw new IllegalArgumentException("unknown argument '" + a
                            + "'; usage: tokenmill kernel install [--data-dir DIR] [--name NAME]");
            }
        }
        if (!sawInstall) {
            throw new IllegalArgumentException("usage: tokenmill kernel install [--data-dir DIR] [--name NAME]");
        }
        if (java == null || classpath == null) {
            throw new IllegalArgumentException("--java and --classpath are required (bin/tokenmill passes them)");
        }
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(
                    "kernel name '" + name + "' may hold only letters, digits, '.', '_' and '-'");
        }
        Path root = Path.of(dataDir != null ? dataDir : defaultDataDir()).toAbsolutePath();
        Path dir = root.resolve("kernels").resolve(name);
        Files.createDirectories(dir);
        List<String> argv = new ArrayList<>();
        argv.add(java);
        argv.addAll(jvmFlags);
        argv.add("-Djava.awt.headless=true");
        argv.add("-cp");
        argv.add(classpath);
        argv.add(KernelMain.class.getName());
        argv.add("{connection_file}");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("argv", argv);
        spec.put("display_name", "Java (tokenmill)");
        spec.put("language", "java");
        spec.put("interrupt_mode", "message");
        if (home != null) {
            spec.put("env", Map.of("TOKENMILL_HOME", home, "SPARK_LOCAL_IP", "127.0.0.1"));
        }
        Path file = dir.resolve("kernel.json");
        Files.writeString(
                file,
                new GsonBuilder()
                                .setPrettyPrinting()
                                .disableHtmlEscaping()
                                .create()
                                .toJson(spec) + "\n",
                StandardCharsets.UTF_8);
        return file;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** Where {@code jupyter kernelspec} looks for user kernels on Linux (jupyter_core's jupyter_data_dir). */
    static String defaultDataDir() {
        String env = System.getenv("JUPYTER_DATA_DIR");
        if (env != null && !env.isBlank()) {
            return env;
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return xdg + "/jupyter";
        }
        return System.getProperty("user.home") + "/.local/share/jupyter";
    }
}
