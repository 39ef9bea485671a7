package dev.tokenmill.jobs;

/** A mistake the user can fix in the command, recipe or input: one line on stderr, exit code 2. */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }
}
