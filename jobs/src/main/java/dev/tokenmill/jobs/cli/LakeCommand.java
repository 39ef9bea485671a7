package dev.tokenmill.jobs.cli;

import dev.tokenmill.jobs.Main;
import dev.tokenmill.jobs.lake.Lake;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.lake.TableSpec;
import dev.tokenmill.jobs.util.Json;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Shared plumbing of the verbs: the lake, output streams, table specs and JSON printing. */
public abstract class LakeCommand implements Runnable {
    @Spec
    protected CommandSpec spec;

    /** The lake of the {@code tokenmill} command this verb runs under (directly or in a group such as {@code bench}). */
    protected Lake lake() {
        Main main = (Main) spec.root().userObject();
        return readsWithKernel() ? main.inspectionLake() : main.lake();
    }

    /** True for verbs that only look at the lake: they read it with Delta Kernel unless asked for Spark. */
    protected boolean readsWithKernel() {
        return false;
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** A resolved table spec: location plus the concrete version (latest when none was given). */
    protected record Resolved(TableLocation table, long version, boolean explicitVersion) {
        String label() {
            return table.name() + "@" + version;
        }
    }

    protected Resolved resolve(String text) {
        TableSpec spec = TableSpec.parse(text);
        TableLocation table = lake().locate(spec.name());
        lake().requireExists(table);
        return new Resolved(table, lake().resolveVersion(table, spec.version()), spec.version() != null);
    }

    protected void printJson(Object value) {
        out().println(Json.pretty(value));
        out().flush();
    }
}
