package dev.tokenmill.dedup.fuzzy;

import dev.tokenmill.dedup.minhash.Bands;
import dev.tokenmill.dedup.minhash.MinHasher;
import dev.tokenmill.dedup.minhash.ShingleSet;
import dev.tokenmill.dedup.minhash.Shingler;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;
import net.openhft.hashing.LongHashFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The per-document kernel of fuzzy dedup, run once per partition with reused buffers: shingle hashes →
 * MinHash signature → band hashes, plus the 64-bit node id the graph steps use instead of the id string.
 * Documents with no shingle (empty after normalisation) get no row: they cannot be near-duplicates.
 */
public final class Signatures {
    public static final String NODE = "node";
    public static final String ID = "id";
    public static final String SIGNATURE = "signature";
    public static final String BANDS = "bands";
    public static final String SHINGLES = "shingles";
    public static final String QUALITY = "quality";

    public static final StructType SCHEMA = new StructType()
            .add(NODE, DataTypes.LongType, false)
            .add(ID, DataTypes.StringType, false)
            .add(SIGNATURE, DataTypes.BinaryType, false)
            .add(BANDS, DataTypes.createArrayType(DataTypes.LongType, false), false)
            .add(QUALITY, DataTypes.DoubleType, true);

    /** {@link #SCHEMA} plus the packed shingle set, for an index that verifies later batches' pairs exactly. */
    public static final StructType SCHEMA_WITH_SHINGLES = SCHEMA.add(SHINGLES, DataTypes.BinaryType, false);

    public static final StructType SHINGLE_SCHEMA =
            new StructType().add(NODE, DataTypes.LongType, false).add(SHINGLES, DataTypes.BinaryType, false);

    private static final LongHashFunction NODE_HASH = LongHashFunction.xx3(0x746f6b656e6d696cL);

    private Signatures() {}

    /** The graph node of a document id: 64 bits of xxHash3 (the stage checks the batch for collisions). */
    public static long node(String id) {
        return NODE_HASH.hashChars(id);
    }

    /** {@code docs} has the id column first, the text column second and a (nullable double) quality third. */
    public static Dataset<Row> compute(Dataset<Row> docs, FuzzyConfig config, long seed) {
        return compute(docs, config, seed, null);
    }

    /** As {@link #compute(Dataset, FuzzyConfig, long)}, skipping documents whose node is in {@code skip} (sorted). */
    public static Dataset<Row> compute(
            Dataset<Row> docs, FuzzyConfig config, long seed, org.apache.spark.broadcast.Broadcast<long[]> skip) {
        return compute(docs, config, seed, skip, false);
    }

    /** As above; {@code withShingles} adds each document's packed shingle set (from the same shingling pass). */
    public static Dataset<Row> compute(
            Dataset<Row> docs,
            FuzzyConfig config,
            long seed,
            org.apache.spark.broadcast.Broadcast<long[]> skip,
            boolean withShingles) {
        MapPartitionsFunction<Row, Row> fn =
                rows -> new SignatureIterator(rows, config, seed, skip == null ? null : skip.value(), withShingles);
        return docs.mapPartitions(fn, Encoders.row(withShingles ? SCHEMA_WITH_SHINGLES : SCHEMA));
    }

    /**
     * Sorted distinct shingle hashes of the documents whose node is in {@code nodes} (a broadcast sorted array, or
     * null for every document), for exact Jaccard of candidate pairs. Filtering here, by a broadcast set, keeps the
     * text out of any shuffle.
     */
    public static Dataset<Row> shingleSets(
            Dataset<Row> docs, FuzzyConfig config, long seed, org.apache.spark.broadcast.Broadcast<long[]> nodes) {
        MapPartitionsFunction<Row, Row> fn = rows -> new SkippingMapper(rows) {
            private final Shingler shingler = new Shingler(config.unit(), config.ngram(), seed);
            private final long[] wanted = nodes == null ? null : nodes.value();

            @Override
            Row map(Row r) {
                if (r.isNullAt(0)) {
                    return null;
                }
                long node = node(r.getString(0));
                if (wanted != null && java.util.Arrays.binarySearch(wanted, node) < 0) {
                    return null;
                }
                shingler.shingle(r.isNullAt(1) ? "" : r.getString(1));
                return RowFactory.create(node, ShingleSet.pack(shingler.hashes(), shingler.count()));
            }
        };
        return docs.mapPartitions(fn, Encoders.row(SHINGLE_SCHEMA));
    }

    /** Estimated Jaccard from two packed signatures (share of equal positions). */
    public static double estimate(byte[] a, byte[] b) {
        ByteBuffer x = ByteBuffer.wrap(a);
        ByteBuffer y = ByteBuffer.wrap(b);
        int n = Math.min(a.length, b.length) / Integer.BYTES;
        int same = 0;
        for (int i = 0; i < n; i++) {
            if (x.getInt(i * Integer.BYTES) == y.getInt(i * Integer.BYTES)) {
                same++;
            }
        }
        return n == 0 ? 0 : same / (double) n;
    }

    /** Maps rows one by one; a row mapped to null is skipped. */
    private abstract static class SkippingMapper implements Iterator<Row> {
        private final Iterator<Row> rows;
        private Row next;

        SkippingMapper(Iterator<Row> rows) {
            this.rows = rows;
        }

        /** The output row of {@code r}, or null to skip it. */
        abstract Row map(Row r);

        @Override
        public boolean hasNext() {
            while (next == null && rows.hasNext()) {
                next = map(rows.next());
            }
            return next != null;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row r = next;
            next = null;
            return r;
        }
    }

    private static final class SignatureIterator extends SkippingMapper {
        private final Shingler shingler;
        private final MinHasher hasher;
        private final Bands bands;
        private final long[] signature;
        private final long[] bandHashes;
        private final long[] skip;
        private final boolean withShingles;

        SignatureIterator(Iterator<Row> rows, FuzzyConfig config, long seed, long[] skip, boolean withShingles) {
            super(rows);
            this.skip = skip;
            this.withShingles = withShingles;
            this.shingler = new Shingler(config.unit(), config.ngram(), seed);
            this.hasher = new MinHasher(config.numPerm(), seed);
            this.bands = new Bands(config.lsh());
            this.signature = new long[config.numPerm()];
            this.bandHashes = new long[config.lsh().bands()];
        }

        @Override
        Row map(Row r) {
            if (r.isNullAt(0) || r.isNullAt(1)) {
                return null;
            }
            String id = r.getString(0);
            long node = node(id);
            if (skip != null && java.util.Arrays.binarySearch(skip, node) >= 0) {
                return null;
            }
            shingler.shingle(r.getString(1));
            if (shingler.count() == 0) {
                return null;
            }
            hasher.signature(shingler.hashes(), shingler.count(), signature);
            bands.hash(signature, bandHashes);
            ByteBuffer packed = ByteBuffer.allocate(signature.length * Integer.BYTES);
            for (long v : signature) {
                packed.putInt((int) v);
            }
            Long[] boxed = new Long[bandHashes.length];
            for (int b = 0; b < boxed.length; b++) {
                boxed[b] = bandHashes[b];
            }
            Double quality = r.isNullAt(2) ? null : r.getDouble(2);
            return withShingles
                    ? RowFactory.create(
                            node,
                            id,
                            packed.array(),
                            boxed,
                            quality,
                            ShingleSet.pack(shingler.hashes(), shingler.count()))
                    : RowFactory.create(node, id, packed.array(), boxed, quality);
        }
    }
}
