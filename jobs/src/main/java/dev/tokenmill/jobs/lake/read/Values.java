package dev.tokenmill.jobs.lake.read;

import dev.tokenmill.jobs.util.Json;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * The plain Java form of a table value that both readers (Spark and Delta Kernel) produce, so that {@code show} and
 * {@code stats} print the same thing whichever read the table: strings, boxed numbers, BigDecimal, Boolean, byte[],
 * List (arrays), Map (maps and structs, structs without their null fields) and dates and timestamps as the text
 * Spark's JSON writer gives them.
 */
public final class Values {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    private static final DateTimeFormatter LOCAL_TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");

    private Values() {}

    public static String date(LocalDate d) {
        return d.toString();
    }

    /** Spark's JSON form of a timestamp: milliseconds and offset, in the JVM's zone (Spark's session zone default). */
    public static String timestamp(Instant at) {
        return TIMESTAMP.format(at.atZone(ZoneId.systemDefault()));
    }

    public static String localTimestamp(LocalDateTime at) {
        return LOCAL_TIMESTAMP.format(at);
    }

    /** One line of text for a table cell: nested values as compact JSON, binary as its size. */
    public static String cell(Object v) {
        if (v == null) {
            return "";
        } else if (v instanceof byte[] b) {
            return "<" + b.length + " bytes>";
        } else if (v instanceof List<?> || v instanceof Map<?, ?>) {
            return Json.write(v);
        }
        return v.toString();
    }
}
