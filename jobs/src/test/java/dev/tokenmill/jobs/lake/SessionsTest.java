package dev.tokenmill.jobs.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tokenmill.jobs.TestLake;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class SessionsTest {
    private static final String KEY = "spark.sql.files.minPartitionNum";

    /** Four file splits per core unless the user set a value; a user's value is never replaced. */
    @Test
    void balancedSplitsFollowTheCoresButNotOverAUsersChoice() {
        SparkSession spark = TestLake.spark();
        String before = spark.conf().get(KEY, null);
        String oursBefore = spark.conf().get("tokenmill.files.minPartitionNum.auto", null);
        try {
            spark.conf().unset(KEY);
            spark.conf().unset("tokenmill.files.minPartitionNum.auto");
            Sessions.balanceSplits(spark);
            assertEquals(
                    String.valueOf(4 * spark.sparkContext().defaultParallelism()),
                    spark.conf().get(KEY));
            Sessions.balanceSplits(spark); // ours: recomputed, still the same cores here
            assertEquals(
                    String.valueOf(4 * spark.sparkContext().defaultParallelism()),
                    spark.conf().get(KEY));

            spark.conf().unset("tokenmill.files.minPartitionNum.auto");
            spark.conf().set(KEY, "3"); // the user's
            Sessions.balanceSplits(spark);
            assertEquals("3", spark.conf().get(KEY));
        } finally {
            restore(spark, KEY, before);
            restore(spark, "tokenmill.files.minPartitionNum.auto", oursBefore);
        }
    }

    /** Stage results are cached without the cache's per-value compression attempts (see Sessions). */
    @Test
    void cachedBatchesUncompressedByDefault() {
        assertEquals("false", TestLake.spark().conf().get("spark.sql.inMemoryColumnarStorage.compressed"));
    }

    @Test
    void localMasterCores() {
        assertEquals(1, Sessions.localCores("local"));
        assertEquals(4, Sessions.localCores("local[4]"));
        assertEquals(3, Sessions.localCores("local[3,2]"));
        assertEquals(Runtime.getRuntime().availableProcessors(), Sessions.localCores("local[*]"));
        assertEquals(-1, Sessions.localCores("spark://127.0.0.1:7077"));
        assertEquals(-1, Sessions.localCores("local-cluster[2,1,1024]"));
    }

    private static void restore(SparkSession spark, String key, String value) {
        if (value == null) {
            spark.conf().unset(key);
        } else {
            spark.conf().set(key, value);
        }
    }
}
