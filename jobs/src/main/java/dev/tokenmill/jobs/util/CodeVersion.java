package dev.tokenmill.jobs.util;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** "0.1.0-SNAPSHOT+3f2a9c1" (plus "-dirty" for an uncommitted tree): part of every stage fingerprint. */
public final class CodeVersion {
    private static final String VALUE = load();

    private CodeVersion() {}

    public static String get() {
        return VALUE;
    }

    private static String load() {
        Properties p = new Properties();
        try (InputStream in = CodeVersion.class.getResourceAsStream("/tokenmill-git.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown": the version is informative, never required
        }
        String version = p.getProperty("git.build.version", "unknown");
        String commit = p.getProperty("git.commit.id.abbrev", "");
        String dirty = "true".equals(p.getProperty("git.dirty")) ? "-dirty" : "";
        return commit.isEmpty() ? version : version + "+" + commit + dirty;
    }
}
