package org.dplstm.training.dpsgd;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.training.model.LstmClassifier;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.model.TestManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Training must not leave arrays behind in the model's run-long manager (native memory). */
class TrainerMemoryTest {

    @RegisterExtension
    final TestManager engine = TestManager.perTest();

    @Test
    void privateAndNonPrivateRunsLeaveTheModelManagerAsTheyFoundIt() {
        EncodedDataset data = TinyData.separable(120, 40, 3, 2, false);
        ModelConfig modelConfig = ModelConfig.builder().vocabSize(40).embeddingDim(4).hiddenSize(6).numClasses(3)
                .build();
        for (DpSgdConfig config : List.of(
                DpSgdConfig.builder().noiseMultiplier(1.0).optAccountant(AccountantKind.RDP)
                        .optExpectedBatchSize(30).optEpochs(2).optMicroBatchSize(8).build(),
                DpSgdConfig.builder().noPrivacy().optExpectedBatchSize(30).optEpochs(2).optMicroBatchSize(8)
                        .build())) {
            try (LstmClassifier model = LstmClassifier.create(modelConfig, engine.manager(), 3)) {
                NDManager modelManager = model.parameters().head().getManager();
                int before = modelManager.getManagedArrays().size();
                DpSgdTrainer.builder().optClippers(TestClippers.CLIPPERS).config(config).model(model)
                        .optRandomness(TrainingRandomness.seededForTesting(5)).build()
                        .fit(data, data, List.of());
                // 8 steps of several micro-batches each, plus 2 evaluations: any array an op on a
                // parameter left behind would show here.
                assertThat(model.parameters().head().getManager()).isSameAs(modelManager);
                assertThat(modelManager.getManagedArrays()).hasSize(before);
            }
        }
    }
}
