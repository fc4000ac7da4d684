package dev.clearance.bench;

import dev.clearance.policy.AccessRequest;
import dev.clearance.policy.Caller;
import dev.clearance.policy.Decision;
import dev.clearance.policy.Evaluator;
import dev.clearance.policy.PolicyInputs;
import dev.clearance.policy.PolicySnapshot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** One decision on the realistic snapshot: the work a router does per request. */
@State(Scope.Thread)
public class EvaluatorBenchmark {

    private static final int MASK = 4095;

    private PolicySnapshot snapshot;
    private Caller[] callers;
    private AccessRequest[] requests;
    private int next;

    @Setup
    public void setUp() {
        snapshot = PolicySnapshot.compile(RealisticPolicy.inputs(1));
        callers = RealisticPolicy.callers(MASK + 1, 2);
        // an odd stride so caller and request pairs keep changing
        requests = RealisticPolicy.requests(MASK + 1, 3);
    }

    @Benchmark
    public Decision decide() {
        int i = next++;
        return Evaluator.decide(snapshot, callers[i & MASK], requests[(i * 7) & MASK]);
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
