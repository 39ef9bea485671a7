package dev.tokenmill.jobs.lake;

import dev.tokenmill.jobs.JobFailure;
import java.net.ConnectException;
import java.net.UnknownHostException;

/** Turns storage exceptions into one-line failures that say what could not be reached. */
public final class Failures {
    private Failures() {}

    public static JobFailure storage(String what, Throwable e) {
        return new JobFailure(what + ": " + rootCause(e), e);
    }

    /**
     * The most telling message in a cause chain, once: a concurrent Delta commit, then an endpoint that cannot be
     * reached (S3A and the AWS SDK repeat the same message at several levels), then the deepest message.
     */
    public static String rootCause(Throwable e) {
        Throwable refused = concurrentCommit(e);
        if (refused != null) {
            return "another run committed to the same table at the same time ("
                    + refused.getClass().getSimpleName()
                    + "), so this write was not applied: run this again once the other has finished";
        }
        String deepest = e.getClass().getSimpleName();
        String unreachable = null;
        boolean s3 = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            s3 |= t.getClass().getName().contains("amazon")
                    || String.valueOf(t.getMessage()).contains("s3a://");
            String m = t.getMessage();
            if (t instanceof UnknownHostException) {
                unreachable = "cannot resolve the host "
                        + firstLine(String.valueOf(m)).replaceAll(":.*", "");
            } else if (unreachable == null && m != null) {
                java.util.regex.Matcher c = CONNECT.matcher(m);
                if (c.find()) {
                    unreachable = "cannot connect to " + c.group(1) + " ("
                            + c.group(2).strip() + ")";
                } else if (t instanceof ConnectException || m.contains("Connection refused")) {
                    unreachable = "cannot connect (" + firstLine(m) + ")";
                }
            }
            if (m != null && !m.isBlank()) {
                deepest = t.getClass().getSimpleName() + ": " + m;
            }
        }
        if (unreachable != null) {
            return unreachable + (s3 ? "; check the endpoint (fs.s3a.endpoint) and that the service is up" : "");
        }
        return firstLine(deepest);
    }

    /** The Delta exception in {@code e}'s cause chain that refused a commit because another writer got there first, or null. */
    public static Throwable concurrentCommit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.spark.sql.delta.DeltaConcurrentModificationException) {
                return t;
            }
        }
        return null;
    }

    /** Apache HttpClient's "Connect to HOST:PORT [/ADDR] failed: REASON" inside the SDK's message. */
    private static final java.util.regex.Pattern CONNECT =
            java.util.regex.Pattern.compile("Connect to (\\S+) (?:\\[[^\\]]*\\] )?failed: ([^:]+)");

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
