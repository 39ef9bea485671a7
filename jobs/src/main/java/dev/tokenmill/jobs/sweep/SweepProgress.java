package dev.tokenmill.jobs.sweep;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Says "runs done / total, ETA" each time a run of one sweep finishes: a listener on the driver that counts the
 * successful tasks of the sweep's job group (one task per run) and extrapolates from the mean time per run so far.
 */
final class SweepProgress extends SparkListener {
    private final String group;
    private final int total;
    private final Consumer<String> say;
    private final long start = System.nanoTime();
    private final int before;
    private final Set<Integer> stages = new HashSet<>();
    private int done;

    SweepProgress(String group, int finishedEarlier, int total, Consumer<String> say) {
        this.group = group;
        this.before = finishedEarlier;
        this.done = finishedEarlier;
        this.total = total;
        this.say = say;
    }

    @Override
    public synchronized void onJobStart(SparkListenerJobStart job) {
        if (job.properties() != null && group.equals(job.properties().getProperty("spark.jobGroup.id"))) {
            job.stageIds().foreach(id -> stages.add((Integer) id));
        }
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd task) {
        if (!stages.contains(task.stageId()) || !task.taskInfo().successful()) {
            return;
        }
        done++;
        double elapsed = (System.nanoTime() - start) / 1e9;
        int now = done - before;
        double eta = elapsed / now * (total - done);
        say.accept(String.format("  runs %d / %d done, %.0f s elapsed, ETA %s", done, total, elapsed, eta(eta)));
    }

    private static String eta(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + " s";
    }
}
