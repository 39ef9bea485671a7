package dev.tokenmill.jobs.lake;

import dev.tokenmill.jobs.UserError;

/** "raw/europarl", "raw/europarl@3" or a full path/URI with an optional "@version". */
public record TableSpec(String name, Long version) {

    public static TableSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new UserError("table name is empty");
        }
        int at = text.lastIndexOf('@');
        if (at < 0 || text.indexOf('/', at) >= 0) {
            return new TableSpec(text, null);
        }
        String v = text.substring(at + 1);
        try {
            long version = Long.parseLong(v);
            if (version < 0) {
                throw new NumberFormatException();
            }
            return new TableSpec(text.substring(0, at), version);
        } catch (NumberFormatException e) {
            throw new UserError("'" + text + "': version after '@' must be a non-negative integer, got '" + v + "'");
        }
    }
}
