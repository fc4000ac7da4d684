package dev.clearance.bench;

import dev.clearance.policy.AccessRequest;
import dev.clearance.policy.BoundCaller;
import dev.clearance.policy.Caller;
import dev.clearance.policy.Decision;
import dev.clearance.policy.Evaluator;
import dev.clearance.policy.PolicyInputs;
import dev.clearance.policy.PolicySnapshot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** One decision on the realistic snapshot: the work a router does per request. */
@State(Scope.Thread)
public class EvaluatorBenchmark {

    private static final int MASK = 4095;

    private PolicySnapshot snapshot;
    private Caller[] callers;
    private BoundCaller[] bound;
    private AccessRequest[] requests;
    private int next;

    /**
     * How many distinct callers the decisions rotate over. The decision is bound by memory
     * loads: 4,096 callers spread over 100,000 grants miss the CPU caches on most lookups (the
     * figure we hold ourselves to); 16 is a router whose active callers stay in cache.
     */
    @Param({"4096", "16"})
    public int distinctCallers;

    @Setup
    public void setUp() {
        snapshot = PolicySnapshot.compile(RealisticPolicy.inputs(1));
        Caller[] pool = RealisticPolicy.callers(distinctCallers, 2);
        callers = new Caller[MASK + 1];
        for (int i = 0; i < callers.length; i++) {
            callers[i] = pool[i % pool.length];
        }
        // What a router holds per cached identity: the caller bound to the current snapshot.
        BoundCaller[] boundPool = new BoundCaller[pool.length];
        for (int i = 0; i < pool.length; i++) {
            boundPool[i] = BoundCaller.bind(snapshot, pool[i]);
        }
        bound = new BoundCaller[MASK + 1];
        for (int i = 0; i < bound.length; i++) {
            bound[i] = boundPool[i % pool.length];
        }
        // an odd stride so caller and request pairs keep changing
        requests = RealisticPolicy.requests(MASK + 1, 3);
    }

    /** A decision for a caller seen for the first time under this snapshot: binds it first. */
    @Benchmark
    public Decision decide() {
        int i = next++;
        return Evaluator.decide(snapshot, callers[i & MASK], requests[(i * 7) & MASK]);
    }

    /** A decision for a cached caller already bound to the snapshot: the router's request path. */
    @Benchmark
    public Decision decideBound() {
        int i = next++;
        return Evaluator.decide(snapshot, bound[i & MASK], requests[(i * 7) & MASK]);
    }

    /**
     * Diagnostic (not in the report): binding one caller to the snapshot, what every cached caller
     * pays once after a new snapshot lands (and {@link #decide} pays per decision).
     */
    @Benchmark
    public BoundCaller bind() {
        return BoundCaller.bind(snapshot, callers[next++ & MASK]);
    }

    /** Compiling a whole revision, as entitlement-service and each router do once per change. */
    @State(Scope.Benchmark)
    public static class Inputs {
        PolicyInputs inputs;

        @Setup
        public void setUp() {
            inputs = RealisticPolicy.inputs(1);
        }
    }

    @Benchmark
    public PolicySnapshot compile(Inputs in) {
        return PolicySnapshot.compile(in.inputs);
    }
}
