package dev.tokenmill.jobs.lake;

import java.time.Duration;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * S3A (hadoop-aws 3.4) raises every network timeout below 15 s to 15 s, a floor kept in a JVM-wide static
 * ({@code AWSClientConfig.minimumOperationDuration}), so a 5 s {@code fs.s3a.connection.establish.timeout} waited
 * 15 s anyway and logged that it did. This lowers the floor to one second in the driver and, as a Spark plugin
 * ({@code spark.plugins}), in every executor JVM, so the configured timeouts are the ones that apply.
 */
public final class S3aTimeouts implements SparkPlugin {
    static final Duration FLOOR = Duration.ofSeconds(1);

    /** Lowers the floor in this JVM; a no-op when hadoop-aws is not on the classpath. */
    static void lowerFloor() {
        try {
            org.apache.hadoop.fs.s3a.impl.AWSClientConfig.setMinimumOperationDuration(FLOOR);
        } catch (NoClassDefFoundError ignored) {
            // no S3A here: nothing to lower
        }
    }

    @Override
    public DriverPlugin driverPlugin() {
        return new DriverPlugin() {
            @Override
            public Map<String, String> init(SparkContext sc, PluginContext context) {
                lowerFloor();
                return Map.of();
            }
        };
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override
            public void init(PluginContext ctx, Map<String, String> extraConf) {
                lowerFloor();
            }
        };
    }
}
