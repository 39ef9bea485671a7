package dev.tokenmill.verifier;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads a Delta table with Delta Kernel (no Spark) and prints one JSON line:
 * {"version":V,"rows":N,"ids_sha256":"…","first_id":"…"} — the SHA-256 of the sorted, newline-joined ids.
 *
 * <p>Usage: {@code DeltaVerifier PATH [VERSION] [-Dkey=value Hadoop settings as system properties "hadoop.<key>"]}.
 */
public final class DeltaVerifier {
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: DeltaVerifier PATH [VERSION]");
            System.exit(2);
        }
        Configuration conf = new Configuration();
        System.getProperties().forEach((k, v) -> {
            String key = k.toString();
            if (key.startsWith("hadoop.")) {
                conf.set(key.substring("hadoop.".length()), v.toString());
            }
        });
        Engine engine = DefaultEngine.create(conf);
        Table table = Table.forPath(engine, args[0]);
        Snapshot snapshot = args.length > 1
                ? table.getSnapshotAsOfVersion(engine, Long.parseLong(args[1]))
                : table.getLatestSnapshot(engine);
        Scan scan = snapshot.getScanBuilder().build();
        Row scanState = scan.getScanState(engine);
        StructType physicalSchema = ScanStateRow.getPhysicalDataReadSchema(engine, scanState);
        int idOrdinal = snapshot.getSchema().indexOf("id");
        List<String> ids = new ArrayList<>();
        long rows = 0;
        try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
            while (files.hasNext()) {
                try (CloseableIterator<Row> fileRows = files.next().getRows()) {
                    while (fileRows.hasNext()) {
                        Row scanFile = fileRows.next();
                        FileStatus status = InternalScanFileUtils.getAddFileStatus(scanFile);
                        CloseableIterator<ColumnarBatch> physical = engine.getParquetHandler()
                                .readParquetFiles(
                                        Utils.singletonCloseableIterator(status), physicalSchema, Optional.empty());
                        try (CloseableIterator<FilteredColumnarBatch> data =
                                Scan.transformPhysicalData(engine, scanState, scanFile, physical)) {
                            while (data.hasNext()) {
                                try (CloseableIterator<Row> dataRows =
                                        data.next().getRows()) {
                                    while (dataRows.hasNext()) {
                                        Row r = dataRows.next();
                                        rows++;
                                        if (idOrdinal >= 0 && !r.isNullAt(idOrdinal)) {
                                            ids.add(r.getString(idOrdinal));
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        ids.sort(String::compareTo);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(String.join("\n", ids).getBytes(StandardCharsets.UTF_8));
        System.out.println("{\"version\":" + snapshot.getVersion() + ",\"rows\":" + rows + ",\"ids_sha256\":\""
                + HexFormat.of().formatHex(md.digest()) + "\",\"first_id\":\"" + (ids.isEmpty() ? "" : ids.get(0))
                + "\"}");
    }
}
