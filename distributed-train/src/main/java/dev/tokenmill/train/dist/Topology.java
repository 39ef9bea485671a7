package dev.tokenmill.train.dist;

import java.util.function.Function;

/**
 * Where a rank sits in a dp × pp layout (global rank = stage · dp + dpRank) and the groups it talks to: its
 * stage's data-parallel ring, its pipeline's ring (one rank per stage, same dpRank: loss, gradient norm, tied
 * embedding), the whole world (barriers, checkpoints) and its pipeline neighbours.
 */
public record Topology(
        int dp,
        int pp,
        int stage,
        int dpRank,
        Collective dpGroup,
        Collective ppGroup,
        Collective world,
        PipeLinks pipe,
        Schedule schedule)
        implements AutoCloseable {

    /** How a stage orders its micro-batches' forward and backward passes. */
    public enum Schedule {
        GPIPE,
        ONE_F_ONE_B
    }

    public static Topology single() {
        return dataParallel(Collective.single());
    }

    public static Topology dataParallel(Collective ring) {
        return new Topology(
                ring.size(), 1, 0, ring.rank(), ring, Collective.single(), ring, null, Schedule.ONE_F_ONE_B);
    }

    /**
     * Joins a dp × pp layout as global rank {@code rank} (stage = rank / dp): every rank calls {@code allGather}
     * (all ranks' messages in rank order, e.g. Spark's BarrierTaskContext.allGather) the same number of times.
     */
    public static Topology connect(
            int rank, int dp, int pp, String host, Function<String, String[]> allGather, Schedule schedule) {
        int stage = rank / dp;
        int dpRank = rank % dp;
        int world = dp * pp;
        Collective dpGroup = dp == 1
                ? Collective.single()
                : new TcpRing(dpRank, dp, host, msg -> pick(allGather.apply(msg), r -> r / dp == stage, world));
        Collective ppGroup = pp == 1
                ? Collective.single()
                : new TcpRing(stage, pp, host, msg -> pick(allGather.apply(msg), r -> r % dp == dpRank, world));
        Collective all = world == 1
                ? Collective.single()
                : dp == world ? dpGroup : pp == world ? ppGroup : new TcpRing(rank, world, host, allGather);
        PipeLinks pipe = pp == 1
                ? null
                : new PipeLinks(stage, pp, host, msg -> pick(allGather.apply(msg), r -> r % dp == dpRank, world));
        return new Topology(dp, pp, stage, dpRank, dpGroup, ppGroup, all, pipe, schedule);
    }

    /** The messages of the ranks in a group, in rank order (which is the group's own rank order). */
    private static String[] pick(String[] all, java.util.function.IntPredicate member, int world) {
        if (all.length != world) {
            throw new IllegalStateException("rendezvous returned " + all.length + " messages for " + world + " ranks");
        }
        return java.util.stream.IntStream.range(0, world)
                .filter(member)
                .mapToObj(r -> all[r])
                .toArray(String[]::new);
    }

    public int globalRank() {
        return stage * dp + dpRank;
    }

    public boolean firstStage() {
        return stage == 0;
    }

    public boolean lastStage() {
        return stage == pp - 1;
    }

    @Override
    public void close() {
        if (pipe != null) {
            pipe.close();
        }
        java.util.Set<Collective> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        distinct.addAll(java.util.List.of(dpGroup, ppGroup, world));
        distinct.forEach(Collective::close);
    }
}
