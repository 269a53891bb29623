package org.dplstm.training.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.List;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.sampling.PoissonSampler;
import org.dplstm.training.dpsgd.ClipBound;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.EncodedDataset;
import org.dplstm.training.dpsgd.EncodedUnits;
import org.dplstm.training.dpsgd.MicroBatchedSums;
import org.dplstm.training.dpsgd.PrivacyPlan;
import org.dplstm.training.dpsgd.PrivacyPlanner;
import org.dplstm.training.dpsgd.PrivacyUnit;
import org.dplstm.training.dpsgd.StepSums;
import org.dplstm.training.dpsgd.TinyData;
import org.dplstm.training.model.LstmClassifier;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.model.TestManager;
import org.dplstm.training.pergrad.FusedPerExampleGradients;
import org.dplstm.training.pergrad.ModelClippers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A step split over several model replicas (CPU replicas standing in for GPUs) against one process's sum. */
class DeviceSplitSumsTest {

    private static final int VOCABULARY = 30;
    private static final int CLASSES = 3;

    @RegisterExtension
    final TestManager engine = TestManager.perTest();

    @ParameterizedTest
    @EnumSource(PrivacyUnit.class)
    void threeReplicasSumWhatOneProcessSumsForTheSameSample(PrivacyUnit unit) {
        EncodedDataset data = TinyData.separable(240, VOCABULARY, CLASSES, 2, unit == PrivacyUnit.USER);
        DpSgdConfig config = DpSgdConfig.builder().noiseMultiplier(1).optAccountant(AccountantKind.RDP)
                .optExpectedBatchSize(40).optEpochs(1).optMaxGradNorm(0.3).optMicroBatchSize(8)
                .optPrivacyUnit(unit).build();
        PrivacyPlan plan = PrivacyPlanner.plan(config, data.unitCount(unit), List.of());
        LstmClassifier model = LstmClassifier.create(ModelConfig.builder().vocabSize(VOCABULARY).embeddingDim(6)
                .hiddenSize(10).numClasses(CLASSES).build(), engine.manager(), 4);
        EncodedUnits units = EncodedUnits.of(data, unit);
        PoissonSampler reference = PoissonSampler.seededForTesting(5);
        StepSums split = DeviceSplitSums.over(Collections.nCopies(3, Device.cpu()))
                .open(model, ModelClippers.standard(), data, plan, config, PoissonSampler.seededForTesting(5)::sample);
        try (split; NDManager scope = engine.manager().newSubManager()) {
            MicroBatchedSums.lendParameters(model, scope);
            for (int step = 0; step < 3; step++) {
                NDArray[] expected = MicroBatchedSums.clipped(new FusedPerExampleGradients(model), units, scope,
                        MicroBatchedSums.unitsOf(units, reference.sample(plan.populationSize(), plan.sampleRate())),
                        ClipBound.of(0.3), 1000, null).sums();
                NDArray[] actual = split.sum(scope, step, 0.3, false).sums();
                for (int i = 0; i < expected.length; i++) {
                    float[] want = expected[i].toFloatArray();
                    float[] got = actual[i].toFloatArray();
                    double scale = 1e-30;
                    for (float value : want) {
                        scale = Math.max(scale, Math.abs(value));
                    }
                    for (int j = 0; j < want.length; j++) {
                        assertThat((double) Math.abs(got[j] - want[j])).as("parameter %d entry %d", i, j)
                                .isLessThan(1e-5 * scale);
                    }
                }
            }
        }
    }

    @Test
    void theFirstDeviceMustHoldTheModel() {
        LstmClassifier model = LstmClassifier.create(ModelConfig.builder().vocabSize(VOCABULARY).embeddingDim(4)
                .hiddenSize(4).numClasses(CLASSES).build(), engine.manager(), 1);
        EncodedDataset data = TinyData.separable(20, VOCABULARY, CLASSES, 1, false);
        DpSgdConfig config = DpSgdConfig.builder().noiseMultiplier(1).optExpectedBatchSize(4).optEpochs(1).build();
        PrivacyPlan plan = PrivacyPlanner.plan(config, 20, List.of());
        assertThatThrownBy(() -> DeviceSplitSums.over(List.of(Device.gpu(0), Device.cpu()))
                .open(model, ModelClippers.standard(), data, plan, config, (n, q) -> new int[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the first device must be the model's (cpu()), was gpu(0)");
    }
}
