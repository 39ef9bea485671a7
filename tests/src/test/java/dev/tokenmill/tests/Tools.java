package dev.tokenmill.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** External programs a test needs (Debian packages that .ci/run installs). */
final class Tools {
    private Tools() {}

    /** Fails under CI when {@code program} is missing; elsewhere skips the test, naming the package to install. */
    static void require(String program, String debianPackage) {
        if (Files.isExecutable(Path.of(program))) {
            return;
        }
        String message = program + " is missing: apt-get install " + debianPackage + " (.ci/run installs it)";
        if (System.getenv("CI") != null) {
            throw new AssertionError(message);
        }
        Assumptions.abort(message);
    }
}
