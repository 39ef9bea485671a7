package dev.tokenmill.jobs.lake;

import dev.tokenmill.jobs.UserError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Spark SQL over a lake's tables by their lake names, with dots for slashes: {@code select rule, count(*) from
 * rejected.europarl group by rule}; {@code NAME@VERSION} reads an older version. Each name (outside quotes) becomes
 * the Delta table at its path, {@code delta.`…` [VERSION AS OF n]}, so nothing is registered in a catalog and the
 * latest version is read at every query.
 */
public final class LakeSql {
    private LakeSql() {}

    public static Dataset<Row> query(Lake lake, String sql) {
        Map<String, String> paths = new LinkedHashMap<>();
        for (String name : lake.listTables()) {
            paths.put(name.replace('/', '.'), lake.locate(name).path());
        }
        String rewritten = rewrite(sql, paths);
        try {
            return lake.spark().sql(rewritten);
        } catch (Exception e) { // AnalysisException, ParseException: checked to Java
            throw new UserError(
                    "SQL: " + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                            + (paths.isEmpty() ? "" : " (tables: " + String.join(", ", paths.keySet()) + ")"));
        }
    }

    /** {@code sql} with every dotted lake name outside string literals and quoted names replaced by its Delta path. */
    static String rewrite(String sql, Map<String, String> paths) {
        if (paths.isEmpty()) {
            return sql;
        }
        List<String> names = new ArrayList<>(paths.keySet());
        names.sort(Comparator.comparingInt(String::length).reversed()); // longest first: a.b.c before a.b
        StringBuilder alternatives = new StringBuilder();
        for (String n : names) {
            alternatives.append(alternatives.length() == 0 ? "" : "|").append(Pattern.quote(n));
        }
        Pattern name =
                Pattern.compile("(?<![\\w.`])(" + alternatives + ")(?:@(\\d+))?(?![\\w.`-])", Pattern.CASE_INSENSITIVE);
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') { // copied as they are
                int end = sql.indexOf(c, i + 1);
                end = end < 0 ? sql.length() : end + 1;
                out.append(sql, i, end);
                i = end;
                continue;
            }
            int next = i;
            while (next < sql.length() && "'\"`".indexOf(sql.charAt(next)) < 0) {
                next++;
            }
            Matcher m = name.matcher(sql.substring(i, next));
            StringBuilder part = new StringBuilder();
            while (m.find()) {
                String path = null;
                for (Map.Entry<String, String> e : paths.entrySet()) {
                    if (e.getKey().equalsIgnoreCase(m.group(1))) {
                        path = e.getValue();
                    }
                }
                String table = "delta.`" + path.replace("`", "``") + "`"
                        + (m.group(2) == null ? "" : " VERSION AS OF " + m.group(2));
                m.appendReplacement(part, Matcher.quoteReplacement(table));
            }
            m.appendTail(part);
            out.append(part);
            i = next;
        }
        return out.toString();
    }
}
