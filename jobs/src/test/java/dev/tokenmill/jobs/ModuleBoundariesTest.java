package dev.tokenmill.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Only {@code jobs} touches storage: the library modules' main code names no Hadoop file system and no
 * {@code java.nio.file}; stages read files through {@code StageContext.resources()}, which the runner implements.
 */
class ModuleBoundariesTest {
    private static final Pattern STORAGE = Pattern.compile("org\\.apache\\.hadoop|java\\.nio\\.file");

    @Test
    void libraryModulesDoNoStorageIo() throws IOException {
        List<String> offenders = new ArrayList<>();
        int files = 0;
        for (String module : List.of("core", "quality", "dedup", "mixing")) {
            Path root = Path.of("..", module, "src", "main", "java");
            assertTrue(Files.isDirectory(root), root + " is missing");
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path f : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                    files++;
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        String code = lines.get(i).replaceAll("//.*$", "");
                        boolean comment =
                                code.strip().startsWith("*") || code.strip().startsWith("/*");
                        if (!comment && STORAGE.matcher(code).find()) {
                            offenders.add(Path.of("..").relativize(f) + ":" + (i + 1) + ": "
                                    + lines.get(i).strip());
                        }
                    }
                }
            }
        }
        assertTrue(files > 50, "scanned " + files + " files");
        assertEquals(List.of(), offenders, "storage I/O outside jobs");
    }
}
