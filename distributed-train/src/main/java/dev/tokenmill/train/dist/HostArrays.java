package dev.tokenmill.train.dist;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Tensors to host floats (fp16 converted), for the host collectives and the pipeline's sends. */
public final class HostArrays {
    private HostArrays() {}

    public static float[] floats(NDArray a) {
        if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray();
        }
        try (NDArray f = a.toType(DataType.FLOAT32, false)) {
            return f.toFloatArray();
        }
    }
}
