package dev.tokenmill.notebooks.kernel;

import dev.tokenmill.notebooks.Display;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

/**
 * A Jupyter kernel whose cells are Java, evaluated by JShell in this JVM (JShell's local execution engine: cells see
 * the kernel's classpath — Spark, Delta, tokenmill — and share objects with it, so a cell's last value can be shown
 * as an HTML table or a PNG chart rather than its {@code toString}).
 */
public final class JavaKernel extends BaseKernel {
    private final JShell shell;
    private final LanguageInfo language = new LanguageInfo.Builder("java")
            .version(Runtime.version().toString())
            .mimetype("text/x-java-source")
            .fileExtension(".java")
            .pygments("java")
            .codemirror("text/x-java")
            .build();

    public JavaKernel(String classpath) {
        shell = JShell.builder().executionEngine("local").build();
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                shell.addToClasspath(entry);
            }
        }
        Display.attach(this::display);
    }

    @Override
    public LanguageInfo getLanguageInfo() {
        return language;
    }

    @Override
    public String getBanner() {
        return "tokenmill Java kernel (JShell, Java " + Runtime.version() + ")";
    }

    /** Evaluates a cell snippet by snippet; the value of a trailing expression is the cell's result. */
    @Override
    public DisplayData eval(String code) throws Exception {
        String stripped = code.stripLeading();
        if (stripped.startsWith("%%sql")) {
            // a SQL cell: the lake's tables by their lake names (Nb.sql), the result shown as a table
            int newline = stripped.indexOf('\n');
            String query = newline < 0 ? "" : stripped.substring(newline + 1);
            if (query.isBlank()) {
                throw new CompileError(List.of("%%sql: the query goes on the lines below %%sql"));
            }
            code = "dev.tokenmill.notebooks.Nb.sql(" + javaString(query.strip()) + ")";
        }
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String remaining = code;
        SnippetEvent last = null;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            // complete (a last statement without ';' counts): one snippet; otherwise the rest goes to JShell as is,
            // which rejects it with its diagnostics
            String source = info.completeness().isComplete() ? info.source() : remaining;
            if (source == null || source.isBlank()) {
                break;
            }
            for (SnippetEvent event : shell.eval(source)) {
                check(event);
                if (event.causeSnippet() == null) {
                    last = event;
                }
            }
            remaining = info.completeness().isComplete() ? info.remaining() : "";
        }
        return last == null ? null : result(last);
    }

    private void check(SnippetEvent event) throws Exception {
        if (event.exception() != null) {
            throw event.exception();
        }
        if (event.status() == Snippet.Status.REJECTED) {
            List<String> diags = shell.diagnostics(event.snippet())
                    .map(d -> describe(event.snippet(), d))
                    .collect(Collectors.toList());
            throw new CompileError(
                    diags.isEmpty()
                            ? List.of("cannot compile: "
                                    + event.snippet().source().strip())
                            : diags);
        }
        if (event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED
                || event.status() == Snippet.Status.RECOVERABLE_DEFINED) {
            List<String> missing = shell.unresolvedDependencies((jdk.jshell.DeclarationSnippet) event.snippet())
                    .collect(Collectors.toList());
            if (!missing.isEmpty() && event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                throw new CompileError(List.of("cannot find symbol: " + String.join(", ", missing)));
            }
        }
    }

    private DisplayData result(SnippetEvent event) throws Exception {
        Snippet s = event.snippet();
        boolean isValue = switch (s.subKind()) {
            case TEMP_VAR_EXPRESSION_SUBKIND, VAR_VALUE_SUBKIND, OTHER_EXPRESSION_SUBKIND -> true;
            default -> false;
        };
        if (!isValue || event.value() == null) {
            return null;
        }
        String name = s instanceof VarSnippet v ? v.name() : ((jdk.jshell.ExpressionSnippet) s).name();
        // hand the object itself (not JShell's string of it) to the renderer: same JVM, same class loader parent
        for (SnippetEvent e : shell.eval(Display.class.getName() + ".hold(" + name + ");")) {
            check(e);
        }
        return Display.render(Display.take());
    }

    /** {@code s} as a Java string literal. */
    static String javaString(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String describe(Snippet snippet, Diag d) {
        String src = snippet.source();
        int start = (int) Math.max(0, Math.min(src.length(), d.getStartPosition()));
        int line =
                1 + (int) src.substring(0, start).chars().filter(c -> c == '\n').count();
        String text = src.lines().skip(line - 1).findFirst().orElse("").strip();
        return "line " + line + ": " + d.getMessage(Locale.ROOT) + (text.isEmpty() ? "" : "\n    " + text);
    }

    @Override
    public List<String> formatError(Exception e) {
        List<String> lines = new ArrayList<>();
        if (e instanceof CompileError c) {
            lines.add(errorStyler.primary("compile error"));
            c.diagnostics.forEach(d -> lines.add(errorStyler.secondary(d)));
        } else if (e instanceof EvalException ev) {
            lines.add(errorStyler.primary(
                    ev.getExceptionClassName() + (ev.getMessage() == null ? "" : ": " + ev.getMessage())));
            stack(ev, lines);
            for (Throwable cause = ev.getCause(); cause != null; cause = cause.getCause()) {
                String cls = cause instanceof EvalException ce
                        ? ce.getExceptionClassName()
                        : cause.getClass().getName();
                lines.add(errorStyler.primary(
                        "caused by " + cls + (cause.getMessage() == null ? "" : ": " + cause.getMessage())));
                stack(cause, lines);
            }
        } else if (e instanceof UnresolvedReferenceException u) {
            lines.add(errorStyler.primary(
                    "unresolved reference in " + u.getSnippet().source().strip()));
        } else {
            lines.addAll(super.formatError(e));
        }
        return lines;
    }

    private void stack(Throwable t, List<String> lines) {
        StackTraceElement[] trace = t.getStackTrace();
        for (int i = 0; i < Math.min(12, trace.length); i++) {
            lines.add(errorStyler.secondary("    at " + trace[i]));
        }
    }

    @Override
    public String isComplete(String code) {
        SourceCodeAnalysis.Completeness c =
                shell.sourceCodeAnalysis().analyzeCompletion(code).completeness();
        return c.isComplete() || c == SourceCodeAnalysis.Completeness.EMPTY
                ? IS_COMPLETE_YES
                : c == SourceCodeAnalysis.Completeness.DEFINITELY_INCOMPLETE ? IS_COMPLETE_MAYBE : IS_COMPLETE_BAD;
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int[] anchor = new int[1];
        List<String> options = shell.sourceCodeAnalysis().completionSuggestions(code, at, anchor).stream()
                .map(SourceCodeAnalysis.Suggestion::continuation)
                .distinct()
                .toList();
        return options.isEmpty() ? null : new ReplacementOptions(options, anchor[0], at);
    }

    @Override
    public void interrupt() {
        shell.stop();
    }

    @Override
    public void onShutdown(boolean restart) {
        shell.close();
    }

    /** A cell that does not compile: JShell's diagnostics, one per line. */
    static final class CompileError extends Exception {
        final List<String> diagnostics;

        CompileError(List<String> diagnostics) {
            super(String.join("\n", diagnostics));
            this.diagnostics = diagnostics;
        }
    }
}
