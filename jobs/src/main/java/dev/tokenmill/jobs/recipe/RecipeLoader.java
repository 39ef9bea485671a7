package dev.tokenmill.jobs.recipe;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tokenmill.jobs.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a recipe YAML: substitutes {@code ${VAR}} / {@code ${VAR:-default}} from the environment, then maps it
 * strictly (unknown fields are errors). Every problem becomes a {@link UserError} naming the file, line and field.
 */
public final class RecipeLoader {
    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private RecipeLoader() {}

    public static Recipe load(Path file, Map<String, String> env) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError("recipe " + file + " does not exist");
        } catch (IOException e) {
            throw new UserError("cannot read recipe " + file + ": " + e.getMessage());
        }
        return parse(file.toString(), text, env);
    }

    public static Recipe parse(String name, String yaml, Map<String, String> env) {
        String substituted = substitute(name, yaml, env);
        Recipe recipe;
        try {
            recipe = YAML.readValue(substituted, Recipe.class);
        } catch (UnrecognizedPropertyException e) {
            throw new UserError("recipe " + name + fieldLine(substituted, e.getPropertyName(), e.getLocation())
                    + ": unknown field '" + e.getPropertyName()
                    + "' at " + path(e) + " (known: " + e.getKnownPropertyIds() + ")");
        } catch (JsonMappingException e) {
            throw new UserError("recipe " + name + where(e.getLocation()) + ": " + firstLine(e.getOriginalMessage())
                    + (e.getPath().isEmpty() ? "" : " at " + path(e)));
        } catch (JsonProcessingException e) {
            throw new UserError("recipe " + name + where(e.getLocation()) + ": not valid YAML: "
                    + firstLine(e.getOriginalMessage()));
        }
        if (recipe == null) {
            throw new UserError("recipe " + name + " is empty");
        }
        if (recipe.stages() == null || recipe.stages().isEmpty()) {
            throw new UserError("recipe " + name + ": 'stages' must list at least one stage");
        }
        for (int i = 0; i < recipe.stages().size(); i++) {
            if (recipe.stages().get(i) == null || recipe.stages().get(i).stage() == null) {
                throw new UserError("recipe " + name + ": stages[" + i + "] needs a 'stage' field");
            }
        }
        return recipe;
    }

    /** Replaces ${VAR} and ${VAR:-default}; an unset variable without a default names its line. */
    static String substitute(String name, String yaml, Map<String, String> env) {
        StringBuilder out = new StringBuilder();
        String[] lines = yaml.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher m = VAR.matcher(line);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String value = env.get(m.group(1));
                if (value == null) {
                    value = m.group(2) != null ? m.group(3) : null;
                }
                if (value == null) {
                    throw new UserError("recipe " + name + " line " + (i + 1) + ": environment variable " + m.group(1)
                            + " is not set (use ${" + m.group(1) + ":-default} for a default)");
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(value));
            }
            m.appendTail(sb);
            out.append(sb);
            if (i < lines.length - 1) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    /**
     * The parser reports an unknown field where it stopped reading, often the next line; the field itself is on
     * the last line at or before that point that starts with "name:".
     */
    private static String fieldLine(String yaml, String field, JsonLocation loc) {
        String[] lines = yaml.split("\n", -1);
        int last = loc == null || loc.getLineNr() < 1 ? lines.length : Math.min(loc.getLineNr(), lines.length);
        Pattern key = Pattern.compile("^\\s*(- )?" + Pattern.quote(field) + "\\s*:.*");
        for (int i = last - 1; i >= 0; i--) {
            if (key.matcher(lines[i]).matches()) {
                return " line " + (i + 1);
            }
        }
        return where(loc);
    }

    private static String where(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 0 ? "" : " line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            } else if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            }
        }
        return sb.length() == 0 ? "the top level" : "'" + sb + "'";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
