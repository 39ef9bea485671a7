package dev.tokenmill.jobs.cli;

import dev.tokenmill.core.Param;
import dev.tokenmill.jobs.UserError;
import dev.tokenmill.jobs.step.StepKind;
import dev.tokenmill.jobs.step.Steps;
import dev.tokenmill.jobs.util.TextTable;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "stages",
        mixinStandardHelpOptions = true,
        description = "List the stages a recipe can use, or one stage's parameters (--params STAGE).")
public final class StagesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--params",
            paramLabel = "STAGE",
            description = "Show this stage's parameters: type, default, meaning.")
    String params;

    @Option(names = "--markdown", description = "With --params: as a Markdown table (the README's parameter tables).")
    boolean markdown;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, StepKind> kinds = Steps.all();
        if (params == null) {
            TextTable t = new TextTable(120, "stage", "what it does");
            kinds.forEach((name, k) -> t.row(name, k.description()));
            t.print(out);
        } else {
            StepKind kind = kinds.get(params);
            if (kind == null) {
                throw new UserError("no stage '" + params + "' (known: " + String.join(", ", kinds.keySet()) + ")");
            }
            out.print(markdown ? markdownTable(kind) : textTable(kind));
        }
        out.flush();
    }

    /** The parameter table of a kind as the README has it: one row per parameter, in declaration order. */
    public static String markdownTable(StepKind kind) {
        if (kind.params().params().isEmpty()) {
            return "No `params:`: " + kind.description() + ".\n";
        }
        StringBuilder sb = new StringBuilder("| parameter | type | default | meaning |\n|---|---|---|---|\n");
        for (Param<?> p : kind.params().params()) {
            sb.append("| `")
                    .append(p.name())
                    .append("` | ")
                    .append(cell(p.type()))
                    .append(" | ")
                    .append(cell(p.defaultText()))
                    .append(" | ")
                    .append(cell(p.help()))
                    .append(p.changesOutput() ? "" : " (does not change the output)")
                    .append(" |\n");
        }
        return sb.toString();
    }

    private static String textTable(StepKind kind) {
        if (kind.params().params().isEmpty()) {
            return kind.name() + ": no params (" + kind.description() + ")\n";
        }
        TextTable t = new TextTable(140, "parameter", "type", "default", "meaning");
        for (Param<?> p : kind.params().params()) {
            t.row(
                    p.name(),
                    p.type(),
                    p.defaultText(),
                    p.help() + (p.changesOutput() ? "" : " (does not change the output)"));
        }
        java.io.StringWriter w = new java.io.StringWriter();
        PrintWriter pw = new PrintWriter(w);
        t.print(pw);
        pw.flush();
        return w.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|");
    }
}
