package dev.tokenmill.jobs.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.jobs.TestLake;
import dev.tokenmill.jobs.UserError;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQL over lake names: the rewrite to Delta paths, and a real query on real tables. */
class LakeSqlTest {
    @TempDir
    Path tmp;

    @Test
    void namesOutsideQuotesBecomeDeltaPaths() {
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("rejected.europarl", "/l/rejected/europarl");
        paths.put("dedup.europarl-clusters", "/l/dedup/europarl-clusters");
        paths.put("a.b.c", "/l/a/b/c");
        paths.put("a.b", "/l/a/b");
        assertEquals(
                "select rule, count(*) from delta.`/l/rejected/europarl` where rule != 'rejected.europarl' group by rule",
                LakeSql.rewrite(
                        "select rule, count(*) from rejected.europarl where rule != 'rejected.europarl' group by rule",
                        paths));
        assertEquals(
                "select * from delta.`/l/a/b/c` x join delta.`/l/a/b` VERSION AS OF 3 y on x.id = y.id",
                LakeSql.rewrite("select * from a.b.c x join A.B@3 y on x.id = y.id", paths));
        assertEquals(
                "select count(*) from delta.`/l/dedup/europarl-clusters`",
                LakeSql.rewrite("select count(*) from dedup.europarl-clusters", paths));
        assertEquals(
                "select europarl.rule from `rejected.europarl`",
                LakeSql.rewrite("select europarl.rule from `rejected.europarl`", paths));
    }

    @Test
    void queriesTheLake() {
        Path lake = tmp.resolve("lake");
        var spark = TestLake.spark();
        spark.sql("select cast(id as string) id, if(id % 3 = 0, 'short', 'long') rule from range(10)")
                .write()
                .format("delta")
                .save(lake.resolve("rejected/docs").toString());
        spark.sql("select cast(id as string) id from range(4)")
                .write()
                .format("delta")
                .mode("append")
                .save(lake.resolve("rejected/docs").toString());
        Lake l = TestLake.lake(lake);
        List<Row> rows = LakeSql.query(l, "select rule, count(*) n from rejected.docs group by rule order by rule")
                .collectAsList();
        assertEquals("[[null,4], [long,6], [short,4]]", rows.toString());
        assertEquals(
                10L,
                LakeSql.query(l, "select count(*) from rejected.docs@0").first().getLong(0));
        UserError e = assertThrows(UserError.class, () -> LakeSql.query(l, "select * from rejected.doc"));
        assertTrue(e.getMessage().contains("tables: rejected.docs"), e.getMessage());
    }
}
