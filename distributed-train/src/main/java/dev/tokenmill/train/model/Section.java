package dev.tokenmill.train.model;

/**
 * The part of the model one pipeline stage owns: a contiguous range of layers, plus the token embedding on the
 * first stage and the final norm and LM head on the last (with tied embeddings both ends hold the table and
 * their gradients are summed).
 */
public record Section(int fromLayer, int toLayer, boolean first, boolean last) {

    public static Section whole(ModelConfig config) {
        return new Section(0, config.layers(), true, true);
    }

    /** Stage {@code stage} of {@code stages}: layers split as evenly as possible, earlier stages taking the extra. */
    public static Section of(ModelConfig config, int stage, int stages) {
        if (stages < 1 || stages > config.layers()) {
            throw new IllegalArgumentException(
                    "pipeline stages (" + stages + ") must be between 1 and n_layers (" + config.layers() + ")");
        }
        int base = config.layers() / stages;
        int extra = config.layers() % stages;
        int from = stage * base + Math.min(stage, extra);
        int to = from + base + (stage < extra ? 1 : 0);
        return new Section(from, to, stage == 0, stage == stages - 1);
    }

    public boolean ownsLayer(int layer) {
        return layer >= fromLayer && layer < toLayer;
    }
}
