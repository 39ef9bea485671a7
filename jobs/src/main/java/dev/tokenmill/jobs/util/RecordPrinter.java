package dev.tokenmill.jobs.util;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows for a terminal, as psql prints them: a table when the columns fit the width (the widest cells cut with "…"),
 * otherwise, or when asked, one record per block with a line per column (psql's expanded mode, {@code \x}).
 */
public final class RecordPrinter {
    /** Narrowest a column is cut to before the rows switch to records: a 32-character id stays whole. */
    static final int MIN_COLUMN = 32;

    private RecordPrinter() {}

    /** The terminal's width as bin/tokenmill saw it ({@code TOKENMILL_COLUMNS}, else {@code COLUMNS}), else 120. */
    public static int terminalWidth() {
        for (String env : List.of("TOKENMILL_COLUMNS", "COLUMNS")) {
            String v = System.getenv(env);
            if (v != null && v.matches("\\d+") && Integer.parseInt(v) >= 20) {
                return Integer.parseInt(v);
            }
        }
        return 120;
    }

    public static void print(
            PrintWriter out, List<String> headers, List<List<String>> rows, int width, boolean vertical) {
        List<List<String>> flat = new ArrayList<>();
        for (List<String> r : rows) {
            flat.add(r.stream().map(RecordPrinter::oneLine).toList());
        }
        int[] widths = vertical ? null : fit(headers, flat, width);
        if (widths == null) {
            printRecords(out, headers, flat, width);
        } else {
            printTable(out, headers, flat, widths);
        }
        out.flush();
    }

    /** Column widths that fit {@code width}, cutting the widest columns first; null when they cannot. */
    static int[] fit(List<String> headers, List<List<String>> rows, int width) {
        int n = headers.size();
        int[] natural = new int[n];
        int[] floor = new int[n];
        for (int i = 0; i < n; i++) {
            natural[i] = length(headers.get(i));
            for (List<String> r : rows) {
                natural[i] = Math.max(natural[i], length(r.get(i)));
            }
            floor[i] = Math.min(natural[i], Math.max(MIN_COLUMN, length(headers.get(i))));
        }
        int available = width - 2 * (n - 1);
        if (sum(floor) > available) {
            return null;
        }
        int lo = 0;
        int hi = 0;
        for (int w : natural) {
            hi = Math.max(hi, w);
        }
        while (lo < hi) { // the largest cap on every column's width under which the row fits
            int cap = (lo + hi + 1) / 2;
            if (sum(capped(natural, floor, cap)) <= available) {
                lo = cap;
            } else {
                hi = cap - 1;
            }
        }
        return capped(natural, floor, lo);
    }

    private static int[] capped(int[] natural, int[] floor, int cap) {
        int[] out = new int[natural.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(floor[i], Math.min(natural[i], cap));
        }
        return out;
    }

    private static int sum(int[] a) {
        int s = 0;
        for (int v : a) {
            s += v;
        }
        return s;
    }

    private static void printTable(PrintWriter out, List<String> headers, List<List<String>> rows, int[] widths) {
        printRow(out, headers, widths);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            rule.append(i == 0 ? "" : "  ").append("-".repeat(widths[i]));
        }
        out.println(rule);
        for (List<String> r : rows) {
            printRow(out, r, widths);
        }
    }

    private static void printRow(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            String c = cut(cells.get(i), widths[i]);
            line.append(i == 0 ? "" : "  ").append(c);
            if (i < widths.length - 1) {
                line.append(" ".repeat(widths[i] - length(c)));
            }
        }
        out.println(line.toString().stripTrailing());
    }

    private static void printRecords(PrintWriter out, List<String> headers, List<List<String>> rows, int width) {
        int key = 0;
        for (String h : headers) {
            key = Math.max(key, length(h));
        }
        int value = Math.max(10, width - key - 3);
        for (int r = 0; r < rows.size(); r++) {
            String title = "-[ RECORD " + (r + 1) + " ]";
            out.println(title + "-".repeat(Math.max(0, Math.min(width, key + 3 + value) - title.length())));
            for (int i = 0; i < headers.size(); i++) {
                String h = headers.get(i);
                out.println((h + " ".repeat(key - length(h)) + " | "
                                + cut(rows.get(r).get(i), value))
                        .stripTrailing());
            }
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    }

    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    static String cut(String s, int width) {
        if (length(s) <= width) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, Math.max(0, width - 1))) + "…";
    }
}
