package dev.tokenmill.notebooks;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Rows as an HTML table: numbers right-aligned, long text cut, nulls shown as such, everything escaped. */
public final class Tables {
    /** Characters of a cell shown before it is cut. */
    public static final int CELL_CHARS = 300;

    private Tables() {}

    public static String html(Dataset<Row> df, int rows) {
        List<Row> taken = df.limit(rows + 1).collectAsList();
        String table = html(df.schema(), taken.subList(0, Math.min(rows, taken.size())));
        return taken.size() > rows ? table + "<p><i>first " + rows + " rows</i></p>" : table;
    }

    public static String html(List<Row> rows) {
        return html(rows.get(0).schema(), rows);
    }

    static String html(StructType schema, List<Row> rows) {
        StringBuilder h = new StringBuilder("<table class=\"tokenmill\"><thead><tr>");
        for (StructField f : schema.fields()) {
            h.append("<th>").append(esc(f.name())).append("</th>");
        }
        h.append("</tr></thead><tbody>\n");
        for (Row r : rows) {
            h.append("<tr>");
            for (int i = 0; i < r.length(); i++) {
                Object v = r.get(i);
                boolean number = v instanceof Number;
                h.append(number ? "<td style=\"text-align:right\">" : "<td style=\"text-align:left\">")
                        .append(v == null ? "<i>null</i>" : esc(cell(v)))
                        .append("</td>");
            }
            h.append("</tr>\n");
        }
        return h.append("</tbody></table>").toString();
    }

    private static String cell(Object v) {
        String s;
        if (v instanceof Double d) {
            s = Math.abs(d) >= 1e5 || (d != 0 && Math.abs(d) < 1e-3)
                    ? String.format("%.4g", d)
                    : String.format("%.4f", d);
        } else if (v instanceof Float f) {
            s = String.format("%.4f", f);
        } else if (v instanceof Long || v instanceof Integer) {
            s = String.format("%,d", ((Number) v).longValue());
        } else if (v instanceof scala.collection.Seq<?> seq) {
            s = scala.jdk.javaapi.CollectionConverters.asJava(seq).toString();
        } else {
            s = String.valueOf(v);
        }
        return s.length() > CELL_CHARS ? s.substring(0, CELL_CHARS) + " …" : s;
    }

    public static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
