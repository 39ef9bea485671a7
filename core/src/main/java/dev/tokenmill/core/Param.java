package dev.tokenmill.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One recipe parameter, declared once: its name, type, default, validation and help text. A {@link ParamSet} of
 * them parses a step's {@code params:} map, and the parsed values give the step's config (so its fingerprint), the
 * help of {@code tokenmill stages --params} and the README's parameter tables. In the spirit of Spark ML's
 * {@code Param}: the declaration is the single source; nothing else spells the name.
 *
 * @param <T> the parsed value's type
 */
public final class Param<T> {
    /** Reads the value from the raw map through {@link Params} (so every message names stage and parameter). */
    @FunctionalInterface
    public interface Reader<T> {
        T read(Params params, String name);
    }

    private final String name;
    private final String type;
    private final T defaultValue;
    private final String defaultText;
    private final String help;
    private final Reader<T> reader;
    private final boolean changesOutput;
    private final Function<T, Object> canonical;

    private Param(
            String name,
            String type,
            T defaultValue,
            String defaultText,
            String help,
            Reader<T> reader,
            boolean changesOutput,
            Function<T, Object> canonical) {
        this.name = name;
        this.type = type;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.help = help;
        this.reader = reader;
        this.changesOutput = changesOutput;
        this.canonical = canonical;
    }

    private static <T> Param<T> of(String name, String type, T def, String help, Reader<T> reader) {
        return new Param<>(name, type, def, def == null ? "none" : String.valueOf(def), help, reader, true, v -> v);
    }

    public static Param<Integer> integer(String name, int def, int min, int max, String help) {
        return of(name, "integer " + range(min, max), def, help, (p, n) -> p.integer(n, def, min, max));
    }

    /** An integer with no default: absent stays null. */
    public static Param<Integer> optionalInteger(String name, int min, int max, String help) {
        return of(
                name, "integer " + range(min, max), null, help, (p, n) -> p.has(n) ? p.integer(n, 0, min, max) : null);
    }

    public static Param<Double> number(String name, double def, double min, double max, String help) {
        return of(name, numberType(min, max), def, help, (p, n) -> p.number(n, def, min, max));
    }

    /** A number with no default: absent stays null. */
    public static Param<Double> optionalNumber(String name, double min, double max, String help) {
        return of(name, numberType(min, max), null, help, (p, n) -> p.has(n) ? p.number(n, 0, min, max) : null);
    }

    public static Param<Boolean> bool(String name, boolean def, String help) {
        return of(name, "boolean", def, help, (p, n) -> p.bool(n, def));
    }

    /** One of a fixed set of words (matched ignoring case; the value is the declared spelling). */
    public static Param<String> oneOf(String name, String def, List<String> allowed, String help) {
        String[] words = allowed.toArray(String[]::new);
        return of(name, String.join(" | ", allowed), def, help, (p, n) -> p.oneOf(n, def, words));
    }

    /** Free text (a path, a table name, an SQL condition); {@code def} may be null (absent stays null). */
    public static Param<String> string(String name, String def, String help) {
        return of(name, "string", def, help, (p, n) -> p.string(n, def));
    }

    /** A list of strings (a scalar is a one-element list); {@code def} when absent. */
    public static Param<List<String>> strings(String name, List<String> def, String help) {
        return new Param<>(
                name,
                "list of strings",
                def,
                def.isEmpty() ? "[]" : def.toString(),
                help,
                (p, n) -> p.has(n) ? p.strings(n) : def,
                true,
                v -> v);
    }

    /** A list of numbers (a scalar is a one-element list); {@code def} when absent. */
    public static Param<List<Double>> numbers(String name, List<Double> def, String help) {
        return new Param<>(
                name,
                "list of numbers",
                def,
                def.toString(),
                help,
                (p, n) -> {
                    if (!p.has(n)) {
                        return def;
                    }
                    List<Double> out = new ArrayList<>();
                    for (String v : p.strings(n)) {
                        try {
                            out.add(Double.parseDouble(v));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("stage '" + p.stage() + "': parameter '" + n
                                    + "' must be a list of numbers, got '" + v + "'");
                        }
                    }
                    return List.copyOf(out);
                },
                true,
                v -> v);
    }

    /**
     * A non-empty subset of fixed words (matched ignoring case), as a list in the declared order of {@code allowed}:
     * the same set in any order or with repeats gives the same value.
     */
    public static Param<List<String>> someOf(String name, List<String> def, List<String> allowed, String help) {
        return new Param<>(
                name,
                "list of " + String.join(" | ", allowed),
                def,
                def.toString(),
                help,
                (p, n) -> {
                    if (!p.has(n)) {
                        return def;
                    }
                    List<String> given = p.strings(n);
                    if (given.isEmpty()) {
                        throw new IllegalArgumentException(
                                "stage '" + p.stage() + "': parameter '" + n + "' must be a non-empty list");
                    }
                    java.util.Set<String> chosen = new java.util.HashSet<>();
                    for (String g : given) {
                        String match = allowed.stream()
                                .filter(a -> a.equalsIgnoreCase(g))
                                .findFirst()
                                .orElseThrow(() -> new IllegalArgumentException(
                                        "stage '" + p.stage() + "': parameter '" + n + "': unknown value '" + g
                                                + "' (known: " + String.join(", ", allowed) + ")"));
                        chosen.add(match);
                    }
                    return allowed.stream().filter(chosen::contains).toList();
                },
                true,
                v -> v);
    }

    /** A structured value (a map or list of maps) that the step checks itself; {@code type} says its shape. */
    public static Param<Object> structured(String name, String type, String help) {
        return of(name, type, null, help, (p, n) -> p.raw(n));
    }

    /** A parameter that tunes how a step runs (threads, logging) but not what it writes: left out of the config. */
    public Param<T> notInOutput() {
        return new Param<>(name, type, defaultValue, defaultText, help, reader, false, canonical);
    }

    /** The config holds {@code f(value)}: equal outputs get equal configs (a set sorted, a case folded). */
    public Param<T> canonical(Function<T, Object> f) {
        return new Param<>(name, type, defaultValue, defaultText, help, reader, changesOutput, f);
    }

    /** The default as the help shows it, when the value itself does not say it (a derived default). */
    public Param<T> defaultText(String text) {
        return new Param<>(name, type, defaultValue, text, help, reader, changesOutput, canonical);
    }

    public String name() {
        return name;
    }

    public String type() {
        return type;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public String defaultText() {
        return defaultText;
    }

    public String help() {
        return help;
    }

    public boolean changesOutput() {
        return changesOutput;
    }

    T read(Params params) {
        return reader.read(params, name);
    }

    Object canonical(Object value) {
        @SuppressWarnings("unchecked")
        T v = (T) value;
        return value == null ? null : canonical.apply(v);
    }

    private static String range(int min, int max) {
        if (max == Integer.MAX_VALUE) {
            return "≥ " + min;
        }
        return "in [" + min + ", " + max + "]";
    }

    private static String numberType(double min, double max) {
        return max == Double.MAX_VALUE ? "number ≥ " + num(min) : "number in [" + num(min) + ", " + num(max) + "]";
    }

    private static String num(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** Sorted copy of a list, for parameters whose order does not matter. */
    public static List<String> sorted(List<String> values) {
        List<String> copy = new ArrayList<>(values);
        copy.sort(String::compareTo);
        return copy;
    }

    @Override
    public String toString() {
        return name;
    }
}
