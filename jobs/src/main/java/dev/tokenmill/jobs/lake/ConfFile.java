package dev.tokenmill.jobs.lake;

import dev.tokenmill.jobs.UserError;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Spark and Hadoop settings from a Java properties file ({@code --conf-file}, env {@code TOKENMILL_CONF_FILE}):
 * the way to hand tokenmill secrets such as {@code spark.hadoop.fs.s3a.secret.key} without putting them on a
 * command line, where {@code ps} shows them to every user of the machine.
 */
public final class ConfFile {
    private ConfFile() {}

    /** The file's KEY=VALUE pairs; a missing or unreadable file is a one-line user error. */
    public static Map<String, String> read(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            throw new UserError("--conf-file " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError("cannot read --conf-file " + file + ": " + e.getMessage());
        }
        Map<String, String> out = new TreeMap<>();
        p.forEach((k, v) -> out.put(k.toString().strip(), v.toString().strip()));
        return out;
    }
}
