package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.UserError;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** Run and checkpoint folders named on the command line: as given, else under the lake root (runs/x); no Spark. */
final class RunFolders {
    private RunFolders() {}

    static Path locate(String name, String lakeRoot, String verb) {
        Path given = Path.of(name);
        if (Files.exists(given) || given.isAbsolute()) {
            return given;
        }
        Path underLake = Path.of(
                        lakeRoot.startsWith("file:") ? URI.create(lakeRoot).getPath() : lakeRoot)
                .resolve(name);
        if (Files.exists(underLake)) {
            return underLake;
        }
        throw new UserError(verb + ": no run or checkpoint at " + given + " or " + underLake);
    }
}
