package dev.tokenmill.core;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Typed, validated access to a stage's recipe parameters; every mistake names the parameter. */
public final class Params {
    private final String stage;
    private final Map<String, Object> values;

    public Params(String stage, Map<String, Object> values) {
        this.stage = stage;
        this.values = values == null ? Map.of() : values;
    }

    /** Fails on any parameter not in {@code known}, so a typo never silently falls back to a default. */
    public Params allowOnly(String... known) {
        Set<String> allowed = new HashSet<>(List.of(known));
        for (String key : values.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("stage '" + stage + "': unknown parameter '" + key + "' (known: "
                        + String.join(", ", known) + ")");
            }
        }
        return this;
    }

    /** The step these parameters belong to, as messages name it. */
    public String stage() {
        return stage;
    }

    /** True when the parameter is given. */
    public boolean has(String key) {
        return values.get(key) != null;
    }

    /** The value as the recipe gave it (a map, a list, a scalar), or null. */
    public Object raw(String key) {
        return values.get(key);
    }

    public String string(String key, String fallback) {
        Object v = values.get(key);
        return v == null ? fallback : v.toString();
    }

    public String oneOf(String key, String fallback, String... allowed) {
        String v = string(key, fallback);
        for (String a : allowed) {
            if (a.equalsIgnoreCase(v)) {
                return a;
            }
        }
        throw new IllegalArgumentException("stage '" + stage + "': parameter '" + key + "' must be one of "
                + String.join(", ", allowed) + ", got '" + v + "'");
    }

    public boolean bool(String key, boolean fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim().toLowerCase();
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException(
                "stage '" + stage + "': parameter '" + key + "' must be true or false, got '" + v + "'");
    }

    public int integer(String key, int fallback, int min, int max) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        int n;
        try {
            n = v instanceof Number num
                    ? num.intValue()
                    : Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "stage '" + stage + "': parameter '" + key + "' must be an integer, got '" + v + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(
                    "stage '" + stage + "': parameter '" + key + "' must be in [" + min + ", " + max + "], got " + n);
        }
        return n;
    }

    public double number(String key, double fallback, double min, double max) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        double d;
        try {
            d = v instanceof Number num
                    ? num.doubleValue()
                    : Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "stage '" + stage + "': parameter '" + key + "' must be a number, got '" + v + "'");
        }
        if (!(d >= min && d <= max)) {
            throw new IllegalArgumentException(
                    "stage '" + stage + "': parameter '" + key + "' must be in [" + min + ", " + max + "], got " + v);
        }
        return d;
    }

    /** A list of strings; a single scalar is taken as a one-element list. Empty when absent. */
    public List<String> strings(String key) {
        Object v = values.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> list) {
            return list.stream().map(String::valueOf).map(String::strip).toList();
        }
        if (v instanceof Map<?, ?>) {
            throw new IllegalArgumentException(
                    "stage '" + stage + "': parameter '" + key + "' must be a list, got a map");
        }
        return List.of(v.toString().strip());
    }
}
