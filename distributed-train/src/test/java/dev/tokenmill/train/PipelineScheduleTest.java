package dev.tokenmill.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenmill.train.dist.Topology;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineScheduleTest {
    @Test
    void gpipeRunsAllForwardsThenAllBackwards() {
        assertEquals(
                "[F0, F1, F2, B0, B1, B2]",
                PipelineSchedule.of(Topology.Schedule.GPIPE, 2, 0, 3).toString());
    }

    @Test
    void oneForwardOneBackwardWarmsUpByTheStagesBelow() {
        // Megatron's 1F1B for 4 stages and 6 micro-batches: stage s warms up with 3 − s forwards
        assertEquals(
                "[F0, F1, F2, F3, B0, F4, B1, F5, B2, B3, B4, B5]",
                PipelineSchedule.of(Topology.Schedule.ONE_F_ONE_B, 4, 0, 6).toString());
        assertEquals(
                "[F0, B0, F1, B1, F2, B2, F3, B3, F4, B4, F5, B5]",
                PipelineSchedule.of(Topology.Schedule.ONE_F_ONE_B, 4, 3, 6).toString());
    }

    @Test
    void everyMicroBatchOnceEachWayForwardFirstAndBoundedActivations() {
        for (Topology.Schedule schedule : Topology.Schedule.values()) {
            for (int pp = 1; pp <= 5; pp++) {
                for (int stage = 0; stage < pp; stage++) {
                    for (int m = 1; m <= 9; m++) {
                        List<PipelineSchedule.Op> ops = PipelineSchedule.of(schedule, pp, stage, m);
                        assertEquals(2 * m, ops.size());
                        boolean[] forwarded = new boolean[m];
                        boolean[] backed = new boolean[m];
                        int live = 0;
                        int peak = 0;
                        for (PipelineSchedule.Op op : ops) {
                            if (op.forward()) {
                                assertTrue(!forwarded[op.micro()]);
                                forwarded[op.micro()] = true;
                                peak = Math.max(peak, ++live);
                            } else {
                                assertTrue(forwarded[op.micro()] && !backed[op.micro()], schedule + " " + ops);
                                backed[op.micro()] = true;
                                live--;
                            }
                        }
                        int bound = schedule == Topology.Schedule.GPIPE ? m : Math.min(m, pp - stage);
                        assertEquals(bound, peak, schedule + " pp " + pp + " stage " + stage + " m " + m);
                    }
                }
            }
        }
    }
}
