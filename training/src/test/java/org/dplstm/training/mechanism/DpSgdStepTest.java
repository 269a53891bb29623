package org.dplstm.training.mechanism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.translate.Batchifier;
import java.util.ArrayList;
import java.util.List;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.privacy.accountants.Accountants;
import org.dplstm.privacy.noise.SecureGaussianNoise;
import org.dplstm.privacy.sampling.PoissonSampler;
import org.dplstm.training.dpsgd.DpSgdStep;
import org.dplstm.training.dpsgd.LocalStepSums;
import org.dplstm.training.dpsgd.TrainingRandomness;
import org.dplstm.training.dpsgd.UnitData;
import org.dplstm.training.mechanism.clip.Clipper;
import org.dplstm.training.mechanism.clip.ExampleBatch;
import org.dplstm.training.mechanism.clip.FusedClipper;
import org.dplstm.training.mechanism.clip.LoopClipper;
import org.dplstm.training.mechanism.loss.PerExampleLoss;
import org.dplstm.training.model.TestManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One step against a reference assembled by hand from the same seeded sampler and noise stream:
 * the loop's clipped sum over exactly the sampled examples, noise once on every coordinate in
 * parameter order, division by the expected batch size qN (never the realised one), SGD.
 */
class DpSgdStepTest {

    private static final int N = 20;
    private static final double Q = 0.3;
    private static final double SIGMA = 0.7;
    private static final double C = 0.5;
    private static final double LR = 0.1;
    private static final long SEED = 11;

    @RegisterExtension TestManager engine = TestManager.perTest();

    @Test
    void aStepIsTheClippedSumOfTheSampledUnitsPlusNoiseOverTheExpectedBatchSize() {
        NDManager manager = engine.manager();
        SequentialBlock model = new SequentialBlock().add(Linear.builder().setUnits(2).build());
        TestModels.initialize(model, manager, DataType.FLOAT64, new Shape(N, 3), 5);
        ArrayDataset data = dataset(manager);
        NDList before = copies(model.getParameters().values().stream().map(p -> p.getArray()).toList());

        // the reference, by hand
        int[] sampled = PoissonSampler.seededForTesting(SEED).sample(N, Q);
        assertThat(sampled.length).as("a realised batch unlike the expected one (6)").isNotEqualTo(6).isPositive();
        LoopClipper loop = new LoopClipper(model, PerExampleLoss.l2());
        double[] expected;
        try (NDManager scope = manager.newSubManager()) {
            ExampleBatch batch = DatasetUnits.batch(data, Batchifier.STACK, scope, sampled, null);
            NDList sums = loop.clippedSum(scope, batch, C).sums();
            expected = concat(sums);
        }
        double[] noise = new double[expected.length];
        SecureGaussianNoise.seededForTesting(SEED + 1).addTo(noise, SIGMA * C);
        double[] old = concat(before);
        for (int i = 0; i < expected.length; i++) {
            expected[i] = old[i] - LR * (expected[i] + noise[i]) / (Q * N);
        }

        PrivacyAccountant accountant = Accountants.newAccountant(AccountantKind.RDP);
        FusedClipper fused = FusedClipper.builder().setModel(model).setLoss(PerExampleLoss.l2()).build();
        // several micro-batches: their sums add, the noise comes once
        DpSgdStep step = step(fused, DatasetUnits.ofRecords(data, Batchifier.STACK), Q, 2, accountant);
        try (NDManager scope = manager.newSubManager()) {
            step.take(scope, 0, false, fused.parameters(), (name, w, g) -> w.subi(g.mul(LR)));
        }
        double[] after = concat(new NDList(model.getParameters().values().stream().map(p -> p.getArray()).toList()));
        for (int i = 0; i < expected.length; i++) {
            assertThat(after[i]).as("parameter value %d", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-9));
        }
        assertThat(accountant.history()).containsExactly(new PrivacyEvent.PoissonGaussian(Q, SIGMA, 1));
    }

    @Test
    void anEmptyBatchIsStillAStepWithNoise() {
        NDManager manager = engine.manager();
        SequentialBlock model = new SequentialBlock().add(Linear.builder().setUnits(2).build());
        TestModels.initialize(model, manager, DataType.FLOAT64, new Shape(N, 3), 5);
        double q = 1e-9;
        assertThat(PoissonSampler.seededForTesting(SEED).sample(N, q)).isEmpty();
        double[] old = concat(copies(model.getParameters().values().stream().map(p -> p.getArray()).toList()));
        double[] noise = new double[old.length];
        SecureGaussianNoise.seededForTesting(SEED + 1).addTo(noise, SIGMA * C);
        PrivacyAccountant accountant = Accountants.newAccountant(AccountantKind.RDP);
        LoopClipper loop = new LoopClipper(model, PerExampleLoss.l2());
        DpSgdStep step = step(loop, DatasetUnits.ofRecords(dataset(manager), Batchifier.STACK), q, 256, accountant);
        try (NDManager scope = manager.newSubManager()) {
            step.take(scope, 0, false, loop.parameters(), (name, w, g) -> w.subi(g));
        }
        double[] after = concat(new NDList(model.getParameters().values().stream().map(p -> p.getArray()).toList()));
        for (int i = 0; i < old.length; i++) {
            assertThat(after[i]).isCloseTo(old[i] - noise[i] / (q * N), org.assertj.core.data.Percentage.withPercentage(1e-6));
        }
        assertThat(accountant.history()).hasSize(1);
    }

    /** The step as the trainers build it: an in-process sum by {@code clipper}, the seeded sampler and noise. */
    private static DpSgdStep step(Clipper clipper, UnitData data, double q, int microBatch,
            PrivacyAccountant accountant) {
        TrainingRandomness randomness = TrainingRandomness.seededForTesting(SEED);
        LocalStepSums sums = LocalStepSums.builder().setClipper(clipper).setData(data)
                .setSampler(randomness.sampler()).setSampleRate(q).optMicroBatchSize(microBatch)
                .build();
        return DpSgdStep.builder().setSums(sums).setPopulationSize(data.unitCount()).setSampleRate(q)
                .setNoiseMultiplier(SIGMA).setMaxGradNorm(C).optNoise(randomness.noise()).optAccountant(accountant)
                .build();
    }

    @Test
    void badSettingsAreRefusedWithTheAllowedRange() {
        DpSgdStep.Builder builder = DpSgdStep.builder()
                .setSums((scope, step, clipNorm, measure) -> {
                    throw new AssertionError("never summed");
                })
                .setPopulationSize(10).setSampleRate(0.1).setNoiseMultiplier(1).setMaxGradNorm(1);
        assertThatThrownBy(() -> builder.setPopulationSize(0).build()).hasMessage("population size must be >= 1, was 0");
        builder.setPopulationSize(10);
        assertThatThrownBy(() -> builder.setSampleRate(1.5).build()).hasMessage("sample rate must be in (0, 1], was 1.5");
        builder.setSampleRate(0.1);
        assertThatThrownBy(() -> builder.setNoiseMultiplier(0).build())
                .hasMessage("noise multiplier must be > 0 and finite, was 0.0");
        builder.setNoiseMultiplier(1);
        assertThatThrownBy(() -> builder.setMaxGradNorm(Double.POSITIVE_INFINITY).build())
                .hasMessage("max grad norm must be > 0 and finite, was Infinity");
    }

    private static ArrayDataset dataset(NDManager manager) {
        return new ArrayDataset.Builder()
                .setData(TestModels.normal(manager, new Shape(N, 3), DataType.FLOAT64, 1))
                .optLabels(TestModels.normal(manager, new Shape(N, 2), DataType.FLOAT64, 2))
                .setSampling(1, false)
                .build();
    }

    private static NDList copies(List<NDArray> arrays) {
        NDList copies = new NDList();
        arrays.forEach(a -> copies.add(a.duplicate()));
        return copies;
    }

    private static double[] concat(NDList arrays) {
        List<Double> values = new ArrayList<>();
        for (NDArray array : arrays) {
            for (double v : array.toType(DataType.FLOAT64, false).toDoubleArray()) {
                values.add(v);
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
