package org.dplstm.spark;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.dplstm.training.dpsgd.ClipBound;
import org.dplstm.training.dpsgd.EncodedDataset;
import org.dplstm.training.dpsgd.EncodedUnits;
import org.dplstm.training.dpsgd.MicroBatchedSums;
import org.dplstm.training.dpsgd.PrivacyUnit;

/**
 * What one task computes of a step: keeps its partition's units whose coins say so, and returns the
 * sum of their clipped gradients as one flat array (nothing when it kept none), computed with the
 * fused method in micro-batches on the executor's model. A function of the step's broadcast and
 * the partition's units only, so a retried task returns the same sum.
 */
final class PartitionSum implements FlatMapFunction<Iterator<TrainingUnit>, float[]> {

    private static final long serialVersionUID = 1L;

    private final Broadcast<RunSpec> run;
    private final Broadcast<StepInput> step;

    PartitionSum(Broadcast<RunSpec> run, Broadcast<StepInput> step) {
        this.run = run;
        this.step = step;
    }

    @Override
    public Iterator<float[]> call(Iterator<TrainingUnit> partition) {
        List<TrainingUnit> kept = keptUnits(partition, step.value());
        if (kept.isEmpty()) {
            return Collections.emptyIterator();
        }
        RunSpec spec = run.value();
        ExecutorModels.Replica replica = ExecutorModels.borrow(spec);
        try {
            replica.load(step.value());
            return Collections.singletonList(clippedSum(spec, replica, kept)).iterator();
        } finally {
            ExecutorModels.giveBack(spec, replica);
        }
    }

    /** The units of the partition that the step's coins keep, in partition order. */
    static List<TrainingUnit> keptUnits(Iterator<TrainingUnit> partition, StepInput input) {
        List<TrainingUnit> units = new ArrayList<>();
        partition.forEachRemaining(units::add);
        long[] ids = new long[units.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = units.get(i).id();
        }
        boolean[] keep = input.coins().keep(ids);
        List<TrainingUnit> kept = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (keep[i]) {
                kept.add(units.get(i));
            }
        }
        return kept;
    }

    private static float[] clippedSum(RunSpec spec, ExecutorModels.Replica replica, List<TrainingUnit> kept) {
        int examples = kept.stream().mapToInt(TrainingUnit::size).sum();
        int[][] tokens = new int[examples][];
        int[] labels = new int[examples];
        int[] unitOfExample = new int[examples];
        List<int[]> units = new ArrayList<>(kept.size());
        int next = 0;
        for (TrainingUnit unit : kept) {
            int[] members = new int[unit.size()];
            for (int e = 0; e < unit.size(); e++) {
                tokens[next] = unit.tokens()[e];
                labels[next] = unit.labels()[e];
                unitOfExample[next] = units.size();
                members[e] = next++;
            }
            units.add(members);
        }
        // each kept unit is a "user" of the sampled data, so a user's examples are clipped together
        EncodedDataset sampled = EncodedDataset.of(tokens, labels, unitOfExample, spec.numClasses());
        EncodedUnits data = EncodedUnits.of(sampled, spec.userLevel() ? PrivacyUnit.USER : PrivacyUnit.EXAMPLE);
        try (NDManager scope = replica.manager.newSubManager()) {
            MicroBatchedSums.lendParameters(replica.model, scope);
            NDArray[] sums = MicroBatchedSums.clipped(replica.clipper, data, scope, units,
                    ClipBound.of(spec.maxGradNorm()), spec.microBatchSize(), null).sums();
            return FlatWeights.of(new NDList(sums));
        }
    }
}
