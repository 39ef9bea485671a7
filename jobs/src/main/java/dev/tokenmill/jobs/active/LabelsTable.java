package dev.tokenmill.jobs.active;

import static org.apache.spark.sql.functions.broadcast;

import dev.tokenmill.jobs.lake.Commit;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.TableLocation;
import java.util.Collection;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A {@code labels/NAME} table: the documents queued for labelling and the labels they got. {@code label-queue}
 * appends a round of documents with an empty {@code label}; {@code import-labels} fills labels in (a relabel is a
 * new version, so {@code diff} lists it); {@code train-quality-model --labels} trains on the labelled rows. Each
 * row keeps the full text, so training needs nothing but this table.
 */
public final class LabelsTable {
    public static final String ID = "id";
    public static final String SOURCE = "source";
    public static final String STRATUM = "stratum";
    public static final String TEXT = "text";
    public static final String SCORE = "score";
    public static final String STRATEGY = "strategy";
    public static final String ROUND = "round";
    public static final String QUEUED_FROM = "queued_from";
    public static final String LABEL = "label";
    public static final String LABELLED_BY = "labelled_by";
    public static final String NOTE = "note";
    public static final String LABELLED_FROM = "labelled_from";

    public static final StructType SCHEMA = new StructType()
            .add(ID, DataTypes.StringType, false)
            .add(SOURCE, DataTypes.StringType, true)
            .add(STRATUM, DataTypes.StringType, true)
            .add(TEXT, DataTypes.StringType, true)
            .add(SCORE, DataTypes.DoubleType, true)
            .add(STRATEGY, DataTypes.StringType, true)
            .add(ROUND, DataTypes.IntegerType, true)
            .add(QUEUED_FROM, DataTypes.StringType, true)
            .add(LABEL, DataTypes.IntegerType, true)
            .add(LABELLED_BY, DataTypes.StringType, true)
            .add(NOTE, DataTypes.StringType, true)
            .add(LABELLED_FROM, DataTypes.StringType, true);

    private LabelsTable() {}

    /**
     * The latest version of the table not written by {@code stage} itself, or -1 (no table, or only that stage's
     * commits). A step stamps it instead of reading the table as an input: rerunning {@code label-queue} without
     * new labels is then up to date rather than another round, and importing the same file twice changes nothing.
     */
    public static long basis(Lake lake, TableLocation table, String stage) {
        if (!lake.exists(table)) {
            return -1;
        }
        List<Commit> history = lake.history(table);
        for (Commit c : history) {
            if (c.lineage() == null || !stage.equals(c.lineage().stage())) {
                return c.version();
            }
        }
        return -1;
    }

    /**
     * {@code table}'s rows whose id is one of {@code ids}, by a broadcast join with them (a few hundred ids from the
     * driver: a shortlist, the ids of a labelling file).
     */
    public static Dataset<Row> withIds(SparkSession spark, Dataset<Row> table, Collection<String> ids) {
        StructType schema = new StructType().add(ID, DataTypes.StringType, false);
        List<Row> rows = ids.stream().map(RowFactory::create).toList();
        return table.join(broadcast(spark.createDataFrame(rows, schema)), ID);
    }

    /** Refuses a table that is not a labels table (a typo in --output must not overwrite a corpus). */
    public static void requireShape(StructType schema, String name) {
        for (String f : SCHEMA.fieldNames()) {
            if (!List.of(schema.fieldNames()).contains(f)) {
                throw new IllegalArgumentException(
                        name + " is not a labels table (no '" + f + "' column); give another output");
            }
        }
    }
}
