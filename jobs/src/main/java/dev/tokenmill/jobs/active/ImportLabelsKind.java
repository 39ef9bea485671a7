package dev.tokenmill.jobs.active;

import dev.tokenmill.core.Param;
import dev.tokenmill.core.ParamSet;
import dev.tokenmill.core.Resources;
import dev.tokenmill.jobs.lake.LakeResources;
import dev.tokenmill.jobs.lake.TableLocation;
import dev.tokenmill.jobs.step.DeclaredStep;
import dev.tokenmill.jobs.step.Output;
import dev.tokenmill.jobs.step.PlannedStep;
import dev.tokenmill.jobs.step.StepKind;
import dev.tokenmill.jobs.step.StepRun;
import dev.tokenmill.jobs.step.StepSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code import-labels} step: a returned labelling file (JSONL or CSV) merged into a labels table as a new
 * version. The file's SHA-256 and the labels table's last version written by anything else (a queue round) are
 * stamped, so importing the same file again is up to date, and importing it after another file restores its labels.
 */
public final class ImportLabelsKind implements StepKind {
    public static final String NAME = "import-labels";
    static final Param<String> FILE =
            Param.string("file", null, "the labelling file, .jsonl or .csv with id and label columns (required)");
    static final Param<Boolean> STRICT = Param.bool(
            "strict", false, "fail on the first refused row (unknown id, bad label, …) instead of quarantining it");
    static final ParamSet PARAMS = new ParamSet(NAME, FILE, STRICT);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "merge a labelling file into a labels table (a relabel is a new version); refused rows go to the "
                + "rejected table";
    }

    @Override
    public ParamSet params() {
        return PARAMS;
    }

    @Override
    public PlannedStep plan(StepSpec spec) {
        String file = spec.params().get(FILE);
        if (file == null || file.isBlank()) {
            throw new IllegalArgumentException("give file: the labelling file to import");
        }
        spec.refuse("input", spec.step().input(), "the labels come from params.file");
        TableLocation output = spec.output();
        String outputName = output.name().replaceAll("/+$", "");
        TableLocation rejected = spec.lake()
                .locate(
                        spec.step().rejected() != null
                                ? spec.step().rejected()
                                : "rejected/" + outputName.replace('/', '-'));
        boolean strict = spec.params().get(STRICT);
        return new DeclaredStep(
                List.of(), new Output.Table(output, rejected), spec.params().config(), List.of(), false) {
            private byte[] bytes;

            @Override
            public List<String> files() {
                return List.of(file);
            }

            @Override
            public List<TableLocation> sharedWrites() {
                return List.of(rejected);
            }

            @Override
            public String label(StepRun run) {
                return NAME + " " + file + " → " + output.name();
            }

            @Override
            public Map<String, Object> stamps(StepRun run) {
                bytes = new LakeResources(run.lake()).read(file);
                Map<String, Object> stamps = new LinkedHashMap<>();
                stamps.put("file_sha256", Resources.sha256(bytes));
                stamps.put("labels_basis", LabelsTable.basis(run.lake(), output, NAME));
                return stamps;
            }

            @Override
            public void run(StepRun run) {
                ImportLabelsJob.run(run, file, bytes, output, rejected, strict, label(run));
            }
        };
    }
}
