package dev.tokenmill.train.spark;

import ai.djl.Device;
import dev.tokenmill.train.TrainConfig;
import dev.tokenmill.train.Trainer;
import dev.tokenmill.train.ckpt.RemoteRunFolder;
import dev.tokenmill.train.data.PackedSamples;
import dev.tokenmill.train.dist.Topology;
import dev.tokenmill.train.model.ModelConfig;
import java.io.PrintWriter;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.resource.ResourceInformation;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * Runs a pretraining job as one Spark barrier stage of {@code dp × pp} tasks (PySpark's TorchDistributor pattern): the
 * tasks start together or not at all, each takes its rank from its partition id, the ranks find each other through
 * {@code BarrierTaskContext.allGather} and join their TCP rings and pipeline links ({@link Topology}), and a failed task fails the whole stage (restart
 * with resume from the latest checkpoint). A task with a GPU in {@code resources()} trains on that device.
 */
public final class BarrierPretrain {

    /** Everything a task needs, shipped to the executors. */
    public record Job(
            ModelConfig model,
            TrainConfig train,
            String dataPrefix,
            String runDir,
            String remoteRunDir,
            Map<String, String> remoteConf,
            int dp,
            int pp,
            Topology.Schedule schedule,
            boolean resume,
            Map<String, Object> runInfo,
            int threadsPerTask,
            double peakFlops)
            implements Serializable {
        public int tasks() {
            return dp * pp;
        }
    }

    /** Rank 0's outcome, returned to the driver. */
    public record Outcome(List<Double> losses, long lastStep, double evalLoss, double tokensPerSecond)
            implements Serializable {}

    private BarrierPretrain() {}

    /** Fails fast, before any task starts, when the cluster cannot hold the whole barrier stage at once. */
    public static void checkSlots(JavaSparkContext sc, int tasks) {
        int slots = sc.defaultParallelism();
        if (slots < tasks) {
            throw new IllegalArgumentException(
                    "the barrier stage needs " + tasks + " concurrent task slots (dp × pp), Spark has " + slots
                            + ": run with local[" + tasks + "] or more executor cores");
        }
    }

    public static Outcome run(JavaSparkContext sc, Job job) {
        checkSlots(sc, job.tasks());
        dev.tokenmill.train.model.Section.of(job.model(), 0, job.pp()); // pp ≤ layers, before any task starts
        List<Integer> ranks = new ArrayList<>();
        for (int r = 0; r < job.tasks(); r++) {
            ranks.add(r);
        }
        var barrier = sc.parallelize(ranks, job.tasks()).rdd().barrier();
        // The shuffle after the ranks makes theirs a shuffle-map stage: Spark runs a failed barrier shuffle-map stage
        // again (all ranks, up to spark.stage.maxConsecutiveAttempts times), where it aborts a failed barrier result
        // stage ("Could not recover from a failed barrier ResultStage").
        List<Outcome> outcomes = barrier.mapPartitions(
                        new RankTask(job), false, scala.reflect.ClassTag$.MODULE$.apply(Outcome.class))
                .toJavaRDD()
                .repartition(1)
                .collect();
        return outcomes.stream()
                .filter(o -> o != null && o.losses() != null)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("rank 0 returned no result"));
    }

    /** The body of one barrier task. */
    private static final class RankTask extends AbstractFunction1<Iterator<Integer>, Iterator<Outcome>>
            implements Serializable {
        private final Job job;

        RankTask(Job job) {
            this.job = job;
        }

        @Override
        public Iterator<Outcome> apply(Iterator<Integer> ignored) {
            BarrierTaskContext ctx = BarrierTaskContext.get();
            int rank = ctx.partitionId();
            String address = ctx.getTaskInfos()[rank].address();
            String host = address.contains(":") ? address.substring(0, address.lastIndexOf(':')) : address;
            if (job.threadsPerTask() > 0) {
                dev.tokenmill.train.Torch.setThreads(job.threadsPerTask());
            }
            Device device = device(ctx);
            RemoteRunFolder remote = null;
            if (job.remoteRunDir() != null) {
                // this machine's staging folder gets the training data and the latest committed checkpoint
                // the driver's file-system settings: a session's --conf spark.hadoop.* may not be in SparkConf
                org.apache.hadoop.conf.Configuration conf = org.apache.spark.deploy.SparkHadoopUtil.get()
                        .newConfiguration(org.apache.spark.SparkEnv.get().conf());
                job.remoteConf().forEach(conf::set);
                remote = new RemoteRunFolder(job.remoteRunDir(), conf);
                Path local = Path.of(job.runDir());
                String data = local.relativize(Path.of(job.dataPrefix())).toString();
                remote.pull(local, List.of(data + ".bin", data + ".idx"));
            }
            Outcome outcome;
            try (Topology topo = Topology.connect(rank, job.dp(), job.pp(), host, ctx::allGather, job.schedule());
                    PackedSamples data = PackedSamples.megatron(
                            Path.of(job.dataPrefix()), job.model().seqLen());
                    Trainer trainer = new Trainer(
                            job.model(),
                            job.train(),
                            data,
                            Path.of(job.runDir()),
                            topo,
                            rank == 0 ? new PrintWriter(System.out, true) : null,
                            new HashMap<>(job.runInfo()),
                            job.peakFlops(),
                            device)) {
                if (remote != null) {
                    trainer.mirrorTo(remote);
                }
                // Spark runs a barrier stage again, every rank at once, when one was lost (an executor or its
                // machine): that attempt resumes from the latest complete checkpoint instead of step 0
                boolean retried = ctx.stageAttemptNumber() > 0;
                if (retried && rank == 0) {
                    System.out.println("stage attempt " + (ctx.stageAttemptNumber() + 1)
                            + ": a rank was lost; every rank resumes from the latest complete checkpoint");
                }
                Trainer.Result r = trainer.run(job.resume() || retried);
                outcome = rank == 0
                        ? new Outcome(new ArrayList<>(r.losses()), r.lastStep(), r.evalLoss(), r.tokensPerSecond())
                        : new Outcome(null, r.lastStep(), r.evalLoss(), r.tokensPerSecond());
            }
            return scala.jdk.javaapi.CollectionConverters.asScala(
                    List.of(outcome).iterator());
        }

        private static Device device(BarrierTaskContext ctx) {
            ResourceInformation gpu = ctx.resources().get("gpu").getOrElse(() -> null);
            if (gpu != null && gpu.addresses().length > 0) {
                return Device.gpu(Integer.parseInt(gpu.addresses()[0]));
            }
            return Device.cpu();
        }
    }
}
