package dev.tokenmill.core;

import java.util.List;

/**
 * The files a stage reads besides its input table (models, word lists, evaluation sets), through the runner: the
 * stage names them as the recipe does, the runner resolves lake-relative names and talks to the file system (local,
 * HDFS, S3A). Library stages never open storage themselves. Failures are {@link IllegalArgumentException}s with a
 * one-line message, which the runner reports as a recipe error.
 */
public interface Resources {

    /** A recipe path as a full path or URI: lake-relative names resolve under the lake root. */
    String resolve(String path);

    /** True when a file or folder is there. */
    boolean exists(String path);

    /** The path itself when it is a file, else the visible files directly in the folder, sorted; full paths. */
    List<String> files(String path);

    /** A whole file's bytes. */
    byte[] read(String path);

    /**
     * A short stamp that changes when the file or folder does, from its listing (relative names, lengths,
     * modification times), so a retrained model of gigabytes is noticed without reading it.
     */
    String stamp(String path);

    /** The hex SHA-256 of bytes read (a content stamp for small files: word lists, evaluation sets). */
    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For a context with no storage behind it: every call fails with a clear message. */
    Resources NONE = new Resources() {
        private IllegalArgumentException none(String path) {
            return new IllegalArgumentException("this stage context reads no files (asked for " + path + ")");
        }

        @Override
        public String resolve(String path) {
            return path;
        }

        @Override
        public boolean exists(String path) {
            return false;
        }

        @Override
        public List<String> files(String path) {
            throw none(path);
        }

        @Override
        public byte[] read(String path) {
            throw none(path);
        }

        @Override
        public String stamp(String path) {
            throw none(path);
        }
    };
}
