package dev.tokenmill.quality;

import dev.tokenmill.core.Param;
import dev.tokenmill.core.ParamSet;
import dev.tokenmill.core.ParamValues;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageFactory;
import dev.tokenmill.quality.pii.PiiMasker;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/** The {@code pii} stage and its parameters. */
public final class PiiStageFactory implements StageFactory {
    private static final List<String> TYPES_KNOWN = Arrays.stream(PiiMasker.Type.values())
            .map(t -> t.name().toLowerCase(Locale.ROOT))
            .toList();
    static final Param<List<String>> TYPES = Param.someOf(
            "types", TYPES_KNOWN, TYPES_KNOWN, "what to mask, each with its typed placeholder (<EMAIL>, <IPV4>, ...)");
    static final ParamSet PARAMS = new ParamSet("pii", TYPES);

    @Override
    public String name() {
        return "pii";
    }

    @Override
    public String description() {
        return "masks e-mails, IPv4/IPv6 addresses, phone numbers and Luhn-valid card numbers with typed placeholders; counts per type as columns";
    }

    @Override
    public ParamSet params() {
        return PARAMS;
    }

    @Override
    public Stage create(ParamValues v) {
        EnumSet<PiiMasker.Type> types = EnumSet.noneOf(PiiMasker.Type.class);
        v.get(TYPES).forEach(t -> types.add(PiiMasker.Type.valueOf(t.toUpperCase(Locale.ROOT))));
        return new PiiStage(v.config(), types);
    }
}
