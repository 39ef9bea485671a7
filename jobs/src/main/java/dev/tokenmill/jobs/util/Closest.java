package dev.tokenmill.jobs.util;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** "Did you mean": the known names nearest to a mistyped one by edit distance, close enough to be a typo. */
public final class Closest {
    private Closest() {}

    /**
     * Up to {@code max} of {@code known}, nearest first (ties in their order), within an edit distance of a quarter of
     * the typed name's length (at least 2); none when nothing is that close.
     */
    public static List<String> of(String typed, List<String> known, int max) {
        int limit = Math.max(2, typed.length() / 4);
        List<String> hits = new ArrayList<>();
        List<Integer> distances = new ArrayList<>();
        for (String k : known) {
            int d = distance(typed.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
            if (d <= limit) {
                hits.add(k);
                distances.add(d);
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < hits.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(distances::get));
        return order.stream().limit(max).map(hits::get).toList();
    }

    /** Levenshtein distance (insertions, deletions, substitutions), two rows. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
