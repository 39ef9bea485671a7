package dev.tokenmill.jobs.infer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A prompt with {@code {column}} placeholders ({@code {{}} and {@code }}} for literal braces). */
final class PromptTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{|}}|\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private PromptTemplate() {}

    static List<String> columns(String template) {
        List<String> out = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (m.group(1) != null && !out.contains(m.group(1))) {
                out.add(m.group(1));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("template '" + template + "' has no {column} placeholder");
        }
        return out;
    }

    static String fill(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String g = m.group();
            String with = g.equals("{{") ? "{" : g.equals("}}") ? "}" : String.valueOf(values.get(m.group(1)));
            m.appendReplacement(out, Matcher.quoteReplacement(with));
        }
        m.appendTail(out);
        return out.toString();
    }
}
