package dev.tokenmill.jobs.lake;

import java.io.PrintWriter;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;

/**
 * One line on stderr when the cluster loses an executor (a worker died, was killed or lost its connection) and when
 * Spark runs a stage again because of it: what a user of a real cluster needs to know, without Spark's log.
 */
public final class ClusterEvents extends SparkListener {
    private final org.apache.spark.SparkContext sc;
    private final PrintWriter err;

    public ClusterEvents(org.apache.spark.SparkContext sc, PrintWriter err) {
        this.sc = sc;
        this.err = err;
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
        if (sc.isStopped() || sc.stopped().get()) {
            return; // executors leave when the application ends: not news
        }
        say("lost executor " + e.executorId() + " (" + oneLine(e.reason())
                + "); Spark runs its tasks again on the executors left");
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted e) {
        if (e.stageInfo().attemptNumber() > 0) {
            say("Spark stage " + e.stageInfo().stageId() + " retried (attempt "
                    + (e.stageInfo().attemptNumber() + 1) + ", " + e.stageInfo().numTasks() + " tasks)");
        }
    }

    private static String oneLine(String s) {
        String line =
                s == null ? "no reason given" : s.lines().findFirst().orElse("").strip();
        return line.length() > 160 ? line.substring(0, 159) + "…" : line;
    }

    private void say(String line) {
        synchronized (err) {
            err.println();
            err.println("tokenmill: " + line);
            err.flush();
        }
    }
}
