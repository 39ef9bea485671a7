package dev.tokenmill.jobs.lake;

import dev.tokenmill.jobs.UserError;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** A user's SQL filter on a table, checked at once so a typo is a one-line error, not a failed job later. */
public final class SqlFilter {
    private SqlFilter() {}

    /** {@code df} filtered by {@code where} (unchanged when null); {@code option} names it in the error. */
    public static Dataset<Row> apply(Dataset<Row> df, String where, String option) {
        if (where == null) {
            return df;
        }
        try {
            Dataset<Row> filtered = df.filter(where);
            filtered.queryExecution().assertAnalyzed();
            return filtered;
        } catch (Exception e) { // AnalysisException is a checked exception to Java
            throw new UserError(option + " '" + where + "' is not a valid filter: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }
}
