package dev.tokenmill.jobs.lake;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * What a running step is doing, from Spark's own events: the Spark stage, its tasks done / total, rows and MB read so
 * far, MB/s and the stage's ETA (from its mean task time and the tasks left). On a terminal one line is rewritten in
 * place every second; otherwise a plain line is printed every 30 s. Steps shorter than a few seconds print nothing.
 * Goes to stderr, so that stdout keeps the steps' result lines.
 */
public final class LiveProgress extends SparkListener implements AutoCloseable {
    private static final long QUIET_MS = 3000;

    private final SparkContext sc;
    private final String label;
    private final PrintStream err;
    private final boolean terminal;
    private final long start = System.currentTimeMillis();
    private final ScheduledExecutorService ticker;
    private final Map<Integer, int[]> stages = new HashMap<>(); // stage id → {done, total}
    private int currentStage = -1;
    private long stageStart;
    private long bytesRead;
    private long rowsRead;
    private long rowsWritten;
    private long bytesWritten;
    private boolean printedLine;

    private LiveProgress(SparkContext sc, String label, PrintStream err, boolean terminal) {
        this.sc = sc;
        this.label = label;
        this.err = err;
        this.terminal = terminal;
        sc.addSparkListener(this);
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tokenmill-progress");
            t.setDaemon(true);
            return t;
        });
        long every = terminal ? 1000 : 30_000;
        ticker.scheduleAtFixedRate(this::print, Math.max(QUIET_MS, every), every, TimeUnit.MILLISECONDS);
    }

    /** Starts reporting on {@code sc}'s jobs under {@code label} until closed; stderr is a terminal when bin/tokenmill says so. */
    public static LiveProgress start(SparkContext sc, String label) {
        return new LiveProgress(sc, label, System.err, "1".equals(System.getenv("TOKENMILL_STDERR_TTY")));
    }

    @Override
    public synchronized void onStageSubmitted(SparkListenerStageSubmitted e) {
        stages.put(e.stageInfo().stageId(), new int[] {0, e.stageInfo().numTasks()});
        currentStage = e.stageInfo().stageId();
        stageStart = System.currentTimeMillis();
    }

    @Override
    public synchronized void onStageCompleted(SparkListenerStageCompleted e) {
        int[] s = stages.get(e.stageInfo().stageId());
        if (s != null) {
            s[0] = s[1];
        }
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
        int[] s = stages.get(e.stageId());
        if (s != null && e.taskInfo().successful()) {
            s[0]++;
        }
        TaskMetrics m = e.taskMetrics();
        if (m != null) {
            bytesRead += m.inputMetrics().bytesRead();
            rowsRead += m.inputMetrics().recordsRead();
            bytesWritten += m.outputMetrics().bytesWritten();
            rowsWritten += m.outputMetrics().recordsWritten();
        }
    }

    /** The progress line as it stands. */
    synchronized String line() {
        long now = System.currentTimeMillis();
        double seconds = Math.max(0.001, (now - start) / 1000.0);
        StringBuilder sb = new StringBuilder("  ").append(label).append(": ");
        int[] s = stages.get(currentStage);
        if (s == null) {
            sb.append("starting");
        } else {
            sb.append("Spark stage ").append(currentStage).append(' ');
            sb.append(String.format("%d/%d tasks", s[0], s[1]));
            if (s[0] > 0 && s[0] < s[1]) {
                double perTask = (now - stageStart) / 1000.0 / s[0];
                sb.append(", stage ETA ").append(duration(perTask * (s[1] - s[0])));
            }
        }
        sb.append(String.format(
                " · %,d rows, %.1f MB read (%.1f MB/s)", rowsRead, bytesRead / 1e6, bytesRead / 1e6 / seconds));
        if (rowsWritten > 0) {
            sb.append(String.format(" · %,d rows, %.1f MB written", rowsWritten, bytesWritten / 1e6));
        }
        sb.append(" · ").append(duration(seconds));
        return sb.toString();
    }

    private void print() {
        String l = line();
        synchronized (err) {
            if (terminal) {
                err.print("\r" + l + "\u001b[K");
            } else {
                err.println(l);
            }
            err.flush();
        }
        printedLine = true;
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + " s";
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sc.removeSparkListener(this);
        if (terminal && printedLine) {
            synchronized (err) {
                err.print("\r\u001b[K"); // the step's result line takes its place
                err.flush();
            }
        }
    }
}
