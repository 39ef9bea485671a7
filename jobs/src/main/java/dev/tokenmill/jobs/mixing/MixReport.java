package dev.tokenmill.jobs.mixing;

import dev.tokenmill.jobs.lake.Lineage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Target vs realised per phase and source (and stratum), from a mixture version's lineage. */
public final class MixReport {
    private MixReport() {}

    /** One row of the mixture a mix commit records: shares are fractions of the phase's units. */
    public record Share(
            String phase,
            String source,
            String stratum,
            double targetShare,
            double realisedShare,
            double planned,
            double realised,
            double epochs,
            long documents,
            boolean capped) {
        /** "source stratum", or the source alone when the mixture has no strata. */
        public String label() {
            return stratum.isEmpty() ? source : source + " " + stratum;
        }
    }

    /** The recorded mixture of a mix version, in its order; empty when the lineage has none. */
    @SuppressWarnings("unchecked")
    public static List<Share> shares(Lineage lineage) {
        List<Share> out = new ArrayList<>();
        Object mix = lineage == null || lineage.config() == null
                ? null
                : lineage.config().get("mix");
        if (!(mix instanceof List<?> rows)) {
            return out;
        }
        for (Object o : rows) {
            Map<String, Object> r = (Map<String, Object>) o;
            out.add(new Share(
                    String.valueOf(r.get("phase")),
                    String.valueOf(r.get("source")),
                    String.valueOf(r.get("stratum")),
                    num(r.get("target_share")),
                    num(r.get("realised_share")),
                    num(r.get("planned")),
                    num(r.get("realised")),
                    num(r.get("epochs")),
                    (long) num(r.get("documents")),
                    Boolean.TRUE.equals(r.get("capped"))));
        }
        return out;
    }

    public static List<String> lines(Lineage lineage) {
        List<String> out = new ArrayList<>();
        List<Share> shares = shares(lineage);
        if (shares.isEmpty()) {
            return out;
        }
        String unit = String.valueOf(lineage.config().get("unit"));
        out.add(String.format(
                "%-10s %-28s %-10s %8s %8s %14s %14s %7s %10s",
                "phase",
                "source",
                "stratum",
                "target",
                "realised",
                "planned " + unit,
                "realised " + unit,
                "epochs",
                "documents"));
        for (Share r : shares) {
            out.add(String.format(
                    "%-10s %-28s %-10s %7.2f%% %7.2f%% %,14.0f %,14.0f %7.2f %,10d%s",
                    r.phase(),
                    r.source(),
                    r.stratum().isEmpty() ? "-" : r.stratum(),
                    100 * r.targetShare(),
                    100 * r.realisedShare(),
                    r.planned(),
                    r.realised(),
                    r.epochs(),
                    r.documents(),
                    r.capped() ? "  (epoch cap)" : ""));
        }
        return out;
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0;
    }
}
