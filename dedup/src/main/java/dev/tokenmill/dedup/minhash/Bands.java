package dev.tokenmill.dedup.minhash;

import net.openhft.hashing.LongHashFunction;

/**
 * Cuts a signature into LSH bands: band i is rows {@code i·r … i·r + r − 1}, hashed to 64 bits (xxHash3 over the
 * longs, seeded with the band index so equal values in different bands never share a bucket). Two documents
 * become a candidate pair when any band hash is equal; with the signature positions independent, that happens
 * with probability 1 − (1 − s^r)^b for Jaccard s.
 */
public final class Bands implements java.io.Serializable {
    private final int bands;
    private final int rows;
    /** One seeded function per band, built on first use (not shipped in Spark closures). */
    private transient LongHashFunction[] perBand;

    public Bands(LshParams params) {
        this(params.bands(), params.rows());
    }

    public Bands(int bands, int rows) {
        if (bands < 1 || rows < 1) {
            throw new IllegalArgumentException("bands and rows must be positive, got " + bands + " × " + rows);
        }
        this.bands = bands;
        this.rows = rows;
    }

    public int bands() {
        return bands;
    }

    /** The band hashes of {@code signature} (length ≥ bands × rows) into {@code out} (length bands). */
    public void hash(long[] signature, long[] out) {
        if (signature.length < bands * rows) {
            throw new IllegalArgumentException(
                    "signature of " + signature.length + " values is shorter than " + bands + " × " + rows);
        }
        if (perBand == null) {
            LongHashFunction[] functions = new LongHashFunction[bands];
            for (int b = 0; b < bands; b++) {
                functions[b] = LongHashFunction.xx3(b);
            }
            perBand = functions;
        }
        for (int b = 0; b < bands; b++) {
            out[b] = perBand[b].hashLongs(signature, b * rows, rows);
        }
    }
}
