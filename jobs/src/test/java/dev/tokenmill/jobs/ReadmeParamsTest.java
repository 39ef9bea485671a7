package dev.tokenmill.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.jobs.cli.StagesCommand;
import dev.tokenmill.jobs.step.StepKind;
import dev.tokenmill.jobs.step.Steps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's parameter tables are the declarations, printed: every step kind has one, between
 * {@code <!-- params:NAME -->} markers, equal to {@code tokenmill stages --params NAME --markdown}. After changing a
 * declaration, {@code TOKENMILL_UPDATE_README=1 mvn test -pl jobs -Dtest=ReadmeParamsTest} rewrites them.
 */
class ReadmeParamsTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Pattern BLOCK =
            Pattern.compile("<!-- params:([a-z-]+) -->\\n(.*?)<!-- /params -->\\n", Pattern.DOTALL);

    @Test
    void everyStepsParameterTableMatchesItsDeclaration() throws Exception {
        String readme = Files.readString(README);
        Map<String, StepKind> kinds = Steps.all();
        StringBuilder updated = new StringBuilder();
        Matcher m = BLOCK.matcher(readme);
        java.util.Set<String> seen = new java.util.TreeSet<>();
        int last = 0;
        while (m.find()) {
            String name = m.group(1);
            StepKind kind = kinds.get(name);
            assertTrue(kind != null, "README has a parameter table for '" + name + "', which is no step");
            seen.add(name);
            String expected = StagesCommand.markdownTable(kind);
            updated.append(readme, last, m.start(2)).append(expected);
            last = m.end(2);
            if (System.getenv("TOKENMILL_UPDATE_README") == null) {
                assertEquals(expected, m.group(2), "README parameter table of '" + name + "'");
            }
        }
        updated.append(readme.substring(last));
        if (System.getenv("TOKENMILL_UPDATE_README") != null) {
            Files.writeString(README, updated.toString());
        }
        assertEquals(kinds.keySet(), seen, "every step has its parameter table in the README");
    }
}
