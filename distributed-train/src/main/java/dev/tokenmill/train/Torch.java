package dev.tokenmill.train;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/** Direct libtorch settings; each loads the PyTorch engine first (a JNI call before that fails to link). */
public final class Torch {
    private Torch() {}

    /** Intra-op threads for the calling thread's operations (OpenMP's setting is per thread). */
    public static void setThreads(int threads) {
        Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(threads);
    }
}
