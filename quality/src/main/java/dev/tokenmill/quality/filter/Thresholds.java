package dev.tokenmill.quality.filter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/** A filter's named numeric thresholds: published defaults, overridable by name, unknown names rejected. */
public final class Thresholds {
    private final String filter;
    private final Map<String, Double> values;

    public Thresholds(String filter, Map<String, Double> defaults, Map<String, ?> overrides) {
        this.filter = filter;
        this.values = new LinkedHashMap<>(defaults);
        if (overrides != null) {
            overrides.forEach((k, v) -> {
                if (!defaults.containsKey(k)) {
                    throw new IllegalArgumentException("filter '" + filter + "': unknown threshold '" + k + "' (known: "
                            + String.join(", ", new TreeSet<>(defaults.keySet())) + ")");
                }
                values.put(k, toDouble(k, v));
            });
        }
    }

    private double toDouble(String key, Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "filter '" + filter + "': threshold '" + key + "' must be a number, got '" + v + "'");
        }
    }

    public double get(String key) {
        Double v = values.get(key);
        if (v == null) {
            throw new IllegalStateException(filter + " has no threshold " + key);
        }
        return v;
    }

    /** All thresholds with overrides applied (recorded in lineage). */
    public Map<String, Double> asMap() {
        return new LinkedHashMap<>(values);
    }
}
