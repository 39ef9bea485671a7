package dev.tokenmill.jobs.util;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain aligned text table for terminal output. Cells are single-line and clipped to a width. */
public final class TextTable {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();
    private final int maxCell;

    public TextTable(int maxCell, String... headers) {
        this.headers = List.of(headers);
        this.maxCell = maxCell;
    }

    public TextTable(String... headers) {
        this(80, headers);
    }

    public TextTable row(Object... cells) {
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(clip(c == null ? "" : c.toString()));
        }
        rows.add(r);
        return this;
    }

    public int size() {
        return rows.size();
    }

    private String clip(String s) {
        String oneLine = s.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
        return oneLine.length() <= maxCell ? oneLine : oneLine.substring(0, maxCell - 1) + "…";
    }

    public void print(PrintWriter out) {
        int[] width = new int[headers.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = headers.get(i).length();
            for (List<String> r : rows) {
                if (i < r.size()) {
                    width[i] = Math.max(width[i], r.get(i).length());
                }
            }
        }
        printRow(out, headers, width);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            rule.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
        }
        out.println(rule);
        for (List<String> r : rows) {
            printRow(out, r, width);
        }
    }

    private static void printRow(PrintWriter out, List<String> cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            String c = i < cells.size() ? cells.get(i) : "";
            line.append(i == 0 ? "" : "  ").append(c);
            if (i < width.length - 1) {
                line.append(" ".repeat(width[i] - c.length()));
            }
        }
        out.println(line.toString().stripTrailing());
    }
}
