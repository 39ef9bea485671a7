package dev.tokenmill.jobs.active;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.quality.active.LabelValues;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelFilesTest {
    private static final List<LabelFiles.Queued> QUEUED = List.of(
            new LabelFiles.Queued("a", "web", null, 0.51234, "He said \"hi\", then\nleft; ok"),
            new LabelFiles.Queued("b,2", null, "en", 0.4, "plain"));

    @Test
    void csvRoundTripsQuotesCommasAndLineBreaks() {
        String csv = new String(LabelFiles.csv(QUEUED), StandardCharsets.UTF_8);
        // a person fills the label column in a spreadsheet; here: replace the empty last cell of each row
        String labelled =
                csv.replace("left; ok\",\"\"", "left; ok\",\"good\"").replace("\"plain\",\"\"", "\"plain\",\"0\"");
        List<LabelFiles.Returned> rows = LabelFiles.read("round-1.csv", labelled.getBytes(StandardCharsets.UTF_8));
        assertEquals(2, rows.size());
        assertEquals("a", rows.get(0).id());
        assertEquals("good", rows.get(0).label());
        assertEquals("b,2", rows.get(1).id());
        assertEquals("0", rows.get(1).label());
        assertEquals(2, rows.get(0).line());
        assertEquals(4, rows.get(1).line(), "the excerpt's line break makes the second record start on line 4");
        assertEquals(
                "good",
                LabelFiles.read("r.csv", labelled.getBytes(StandardCharsets.UTF_8))
                        .get(0)
                        .label());
    }

    @Test
    void jsonlHasAnEmptyLabelAndReadsBack() {
        String jsonl = new String(LabelFiles.jsonl(QUEUED, 3, "uncertainty"), StandardCharsets.UTF_8);
        assertTrue(jsonl.lines().allMatch(l -> l.contains("\"label\":null") && l.contains("\"round\":3")), jsonl);
        assertTrue(jsonl.contains("\"score\":0.5123"), jsonl);
        List<LabelFiles.Returned> rows =
                LabelFiles.read("x.jsonl", (jsonl + "\n{broken\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(3, rows.size());
        assertNull(rows.get(0).label());
        assertEquals("malformed_json", rows.get(2).error());
        assertEquals(4, rows.get(2).line());
    }

    @Test
    void otherExtensionsAndHeaderlessCsvAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LabelFiles.read("labels.txt", new byte[0]));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> LabelFiles.read("l.csv", "doc,good\nx,1\n".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("'id' and 'label'"), e.getMessage());
    }

    @Test
    void excerptCutsAtAWordNearTheLimit() {
        assertEquals("short", LabelFiles.excerpt("short", 10));
        assertEquals("alpha beta…", LabelFiles.excerpt("alpha beta gamma", 12));
        assertEquals("abcdefghij…", LabelFiles.excerpt("abcdefghijklmnop", 10));
    }

    @Test
    void checkSortsRowsIntoTakenSkippedAndRefused() {
        List<LabelFiles.Returned> rows = List.of(
                row(2, "a", "good"),
                row(3, "b", " BAD "),
                row(4, "c", ""),
                row(5, "zzz", "1"),
                row(6, "d", "maybe"),
                row(7, "e", "1"),
                row(8, "e", "0"),
                row(9, "a", "yes"),
                row(10, null, "1"),
                new LabelFiles.Returned(11, null, null, null, null, "malformed_json", "{x"));
        LabelImport.Result r = LabelImport.check(rows, Set.of("a", "b", "c", "d", "e")::contains);
        assertEquals(
                List.of("a", "b"),
                r.accepted().stream().map(LabelImport.Accepted::id).sorted().toList());
        assertEquals(
                LabelValues.POSITIVE,
                r.accepted().stream()
                        .filter(a -> a.id().equals("a"))
                        .findFirst()
                        .orElseThrow()
                        .label());
        assertEquals(
                LabelValues.NEGATIVE,
                r.accepted().stream()
                        .filter(a -> a.id().equals("b"))
                        .findFirst()
                        .orElseThrow()
                        .label());
        assertEquals(1, r.blank());
        assertEquals(1, r.repeated());
        assertEquals(
                List.of(
                        "unknown_id",
                        "bad_label",
                        "conflicting_labels",
                        "conflicting_labels",
                        "missing_id",
                        "malformed_json"),
                r.refused().stream().map(LabelImport.Refused::rule).toList());
        assertEquals(
                List.of(5, 6, 7, 8, 10, 11),
                r.refused().stream().map(LabelImport.Refused::line).toList());
    }

    private static LabelFiles.Returned row(int line, String id, String label) {
        return new LabelFiles.Returned(line, id, label, null, null, null, id + "," + label);
    }
}
