package dev.tokenmill.quality;

import dev.tokenmill.core.Params;
import dev.tokenmill.core.Stage;
import dev.tokenmill.core.StageFactory;
import dev.tokenmill.quality.pii.PiiMasker;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Recipe parameters of {@code pii}: {@code types: [email, ipv4, ipv6, phone, credit_card]} (default: all). */
public final class PiiStageFactory implements StageFactory {
    @Override
    public String name() {
        return "pii";
    }

    @Override
    public String description() {
        return "masks e-mails, IPv4/IPv6 addresses, phone numbers and Luhn-valid card numbers with typed placeholders; counts per type as columns";
    }

    @Override
    public Stage create(Map<String, Object> params) {
        new Params(name(), params).allowOnly("types");
        Object t = params == null ? null : params.get("types");
        if (t == null) {
            return new PiiStage(EnumSet.allOf(PiiMasker.Type.class));
        }
        if (!(t instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("stage 'pii': parameter 'types' must be a non-empty list");
        }
        EnumSet<PiiMasker.Type> types = EnumSet.noneOf(PiiMasker.Type.class);
        for (Object o : list) {
            try {
                types.add(PiiMasker.Type.valueOf(String.valueOf(o).toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("stage 'pii': unknown type '" + o + "' (known: email, ipv4, ipv6, phone, credit_card)");
            }
        }
        return new PiiStage(types);
    }
}
