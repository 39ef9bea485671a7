package dev.tokenmill.jobs.mixing;

import dev.tokenmill.jobs.lake.Lineage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Target vs realised per phase and source (and stratum), from a mixture version's lineage. */
public final class MixReport {
    private MixReport() {
    }

    @SuppressWarnings("unchecked")
    public static List<String> lines(Lineage lineage) {
        List<String> out = new ArrayList<>();
        Object mix = lineage.config() == null ? null : lineage.config().get("mix");
        if (!(mix instanceof List<?> rows)) {
            return out;
        }
        String unit = String.valueOf(lineage.config().get("unit"));
        out.add(String.format("%-10s %-28s %-10s %8s %8s %14s %14s %7s %10s", "phase", "source", "stratum", "target", "realised",
            "planned " + unit, "realised " + unit, "epochs", "documents"));
        for (Object o : rows) {
            Map<String, Object> r = (Map<String, Object>) o;
            out.add(String.format("%-10s %-28s %-10s %7.2f%% %7.2f%% %,14.0f %,14.0f %7.2f %,10d%s", r.get("phase"), r.get("source"),
                String.valueOf(r.get("stratum")).isEmpty() ? "-" : r.get("stratum"),
                100 * num(r.get("target_share")), 100 * num(r.get("realised_share")), num(r.get("planned")),
                num(r.get("realised")), num(r.get("epochs")), (long) num(r.get("documents")),
                Boolean.TRUE.equals(r.get("capped")) ? "  (epoch cap)" : ""));
        }
        return out;
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0;
    }
}
