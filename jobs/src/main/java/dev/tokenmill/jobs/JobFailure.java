package dev.tokenmill.jobs;

/** The job could not finish (storage unreachable, empty input, a failed Spark job): exit code 1. */
public class JobFailure extends RuntimeException {
    public JobFailure(String message) {
        super(message);
    }

    public JobFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
