package dev.tokenmill.jobs.active;

import dev.tokenmill.quality.active.LabelValues;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Checks the rows of a returned labelling file against the labels table's ids (no Spark): a row with a readable
 * id the table holds and an accepted label is taken; a blank label is "not labelled yet" and skipped; everything
 * else is refused with a rule (the import keeps refused rows in the rejected table, or fails on the first one
 * with {@code strict}). One id given two different labels in the same file is refused on every row that gave it.
 */
final class LabelImport {
    record Accepted(String id, int label, String labelledBy, String note, int line) {}

    record Refused(int line, String id, String rule, String detail, String raw) {}

    record Result(List<Accepted> accepted, List<Refused> refused, int blank, int repeated) {}

    private LabelImport() {}

    static Result check(List<LabelFiles.Returned> rows, Predicate<String> known) {
        Map<String, List<Accepted>> byId = new LinkedHashMap<>();
        List<Refused> refused = new ArrayList<>();
        int blank = 0;
        for (LabelFiles.Returned r : rows) {
            if (r.error() != null) {
                refused.add(new Refused(
                        r.line(), r.id(), r.error(), "line " + r.line() + " is not a JSON object", r.raw()));
            } else if (r.id() == null || r.id().isBlank()) {
                refused.add(new Refused(r.line(), null, "missing_id", "line " + r.line() + " has no id", r.raw()));
            } else if (LabelValues.blank(r.label())) {
                blank++;
            } else if (!known.test(r.id())) {
                refused.add(new Refused(
                        r.line(),
                        r.id(),
                        "unknown_id",
                        "line " + r.line() + ": id " + r.id() + " was never queued",
                        r.raw()));
            } else {
                try {
                    int label = LabelValues.parse(r.label());
                    byId.computeIfAbsent(r.id(), k -> new ArrayList<>())
                            .add(new Accepted(r.id(), label, r.labelledBy(), r.note(), r.line()));
                } catch (IllegalArgumentException e) {
                    refused.add(new Refused(
                            r.line(), r.id(), "bad_label", "line " + r.line() + ": " + e.getMessage(), r.raw()));
                }
            }
        }
        List<Accepted> accepted = new ArrayList<>();
        int repeated = 0;
        for (List<Accepted> same : byId.values()) {
            Set<Integer> labels = new HashSet<>();
            same.forEach(a -> labels.add(a.label()));
            if (labels.size() > 1) {
                for (Accepted a : same) {
                    refused.add(new Refused(
                            a.line(),
                            a.id(),
                            "conflicting_labels",
                            "line " + a.line() + ": id " + a.id() + " has different labels on lines "
                                    + same.stream()
                                            .map(x -> String.valueOf(x.line()))
                                            .toList(),
                            a.id() + "," + a.label()));
                }
                continue;
            }
            // the same label repeated: the last row's labeller and note win, as a later edit would
            Accepted last = same.get(same.size() - 1);
            accepted.add(last);
            repeated += same.size() - 1;
        }
        refused.sort(java.util.Comparator.comparingInt(Refused::line));
        return new Result(accepted, refused, blank, repeated);
    }

    /** Ids named by rows that could be taken (for the membership query). */
    static Set<String> candidateIds(List<LabelFiles.Returned> rows) {
        Set<String> ids = new HashSet<>();
        for (LabelFiles.Returned r : rows) {
            if (r.error() == null && r.id() != null && !LabelValues.blank(r.label())) {
                ids.add(r.id());
            }
        }
        return ids;
    }
}
