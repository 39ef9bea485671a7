package dev.tokenmill.jobs.lake;

import dev.tokenmill.jobs.JobFailure;
import java.net.ConnectException;
import java.net.UnknownHostException;

/** Turns storage exceptions into one-line failures that say what could not be reached. */
public final class Failures {
    private Failures() {
    }

    public static JobFailure storage(String what, Throwable e) {
        return new JobFailure(what + ": " + rootCause(e), e);
    }

    /** The most telling message in a cause chain: connection problems first, then the deepest message. */
    public static String rootCause(Throwable e) {
        String deepest = e.getClass().getSimpleName();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.spark.sql.delta.DeltaConcurrentModificationException) {
                return "another run committed to the same table at the same time (" + t.getClass().getSimpleName()
                    + "), so this write was not applied: run this again once the other has finished";
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return "cannot connect (" + t.getClass().getSimpleName() + ": " + t.getMessage() + ")";
            }
            String m = t.getMessage();
            if (m != null && (m.contains("Unable to execute HTTP request") || m.contains("Connection refused"))) {
                return "cannot connect to the storage endpoint (" + firstLine(m) + ")";
            }
            if (m != null && !m.isBlank()) {
                deepest = t.getClass().getSimpleName() + ": " + m;
            }
        }
        return firstLine(deepest);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
