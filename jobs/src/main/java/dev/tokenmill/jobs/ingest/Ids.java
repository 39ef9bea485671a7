package dev.tokenmill.jobs.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Default document ids: 128 bits of SHA-256 over (source, file path relative to the input root, record number).
 * Stable across machines and checkouts, so re-ingesting the same files yields the same ids.
 */
public final class Ids {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private Ids() {}

    public static String of(String source, String relativeFile, long recordNumber) {
        MessageDigest md = SHA256.get();
        md.reset();
        md.update(source.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(relativeFile.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(Long.toString(recordNumber).getBytes(StandardCharsets.US_ASCII));
        byte[] digest = md.digest();
        return HexFormat.of().formatHex(digest, 0, 16);
    }
}
