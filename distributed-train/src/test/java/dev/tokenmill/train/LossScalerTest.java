package dev.tokenmill.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LossScalerTest {
    @Test
    void overflowSkipsAndHalvesGoodStepsDoubleUpToTheMaximum() {
        LossScaler s = new LossScaler(true);
        assertEquals(LossScaler.MAX, s.scale());
        assertTrue(s.skip(true));
        assertTrue(s.skip(true));
        assertEquals(LossScaler.MAX / 4, s.scale());
        assertEquals(2, s.skippedSteps());
        for (int i = 1; i < LossScaler.GROWTH_INTERVAL; i++) {
            assertFalse(s.skip(false));
        }
        assertEquals(LossScaler.MAX / 4, s.scale(), "not yet");
        assertFalse(s.skip(false));
        assertEquals(LossScaler.MAX / 2, s.scale());
        for (int i = 0; i < 3 * LossScaler.GROWTH_INTERVAL; i++) {
            s.skip(false);
        }
        assertEquals(LossScaler.MAX, s.scale(), "capped: the fp16 gradient seed must stay finite");
    }

    @Test
    void theStateRoundTripsAndFp32NeverSkips() {
        LossScaler s = new LossScaler(true);
        s.skip(true);
        s.skip(false);
        LossScaler back = new LossScaler(true);
        back.restore(s.state());
        assertEquals(s.state(), back.state());
        LossScaler fp32 = new LossScaler(false);
        assertFalse(fp32.skip(true));
        assertEquals(1.0, fp32.scale());
        fp32.restore(s.state());
        assertEquals(1.0, fp32.scale());
    }
}
