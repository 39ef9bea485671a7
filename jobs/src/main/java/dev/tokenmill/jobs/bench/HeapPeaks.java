package dev.tokenmill.jobs.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Heap of this JVM (driver and, in local mode, executors) between a reset and a read, for the benchmarks: the peak
 * used (garbage included, also what earlier runs left, so it follows the collector's pace as much as the data) and
 * the peak live heap, the most still in use right after any collection (an upper bound on what the job holds: a
 * young collection leaves the old generation's garbage in place).
 */
final class HeapPeaks {
    private static final AtomicLong LIVE_PEAK = new AtomicLong();
    private static final java.util.Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(java.util.stream.Collectors.toSet());
    private static boolean listening;

    private HeapPeaks() {}

    static synchronized void reset() {
        if (!listening) {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener(
                            (n, handback) -> {
                                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                                        n.getType())) {
                                    var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                                    long after = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                                            .filter(e -> HEAP_POOLS.contains(e.getKey()))
                                            .mapToLong(e -> e.getValue().getUsed())
                                            .sum();
                                    LIVE_PEAK.accumulateAndGet(after, Math::max);
                                }
                            },
                            null,
                            null);
                }
            }
            listening = true;
        }
        // no System.gc() for a clean start: G1 shrinks the heap after a full collection (4 GB to ~350 MB) and the timed
        // run after it paid for regrowing it: in one JVM, alternating, the 405 MB fused stage took 14.3-16.1 s after a
        // System.gc() and 11.7-15.4 s without; in whole bench-filter invocations 14.6-24 s and 12.7-15.9 s
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        LIVE_PEAK.set(0);
    }

    static long peakMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak >> 20;
    }

    /** The most heap in use right after a collection since the last reset (non-heap pools left out). */
    static long livePeakMb() {
        return LIVE_PEAK.get() >> 20;
    }
}
