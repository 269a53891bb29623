package org.dplstm.training.mechanism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.modality.nlp.Vocabulary;
import ai.djl.modality.nlp.embedding.TrainableWordEmbedding;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.GRU;
import ai.djl.training.dataset.ArrayDataset;
import java.util.ArrayList;
import java.util.List;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.privacy.accountants.Accountants;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.EpochSummary;
import org.dplstm.training.dpsgd.OptimizerKind;
import org.dplstm.training.dpsgd.PrivacyUnit;
import org.dplstm.training.dpsgd.TrainingListener;
import org.dplstm.training.dpsgd.TrainingRandomness;
import org.dplstm.training.dpsgd.TrainingResult;
import org.dplstm.training.mechanism.clip.UnsupportedModelException;
import org.dplstm.training.mechanism.loss.PerExampleLoss;
import org.junit.jupiter.api.Test;

/** A DJL GRU classifier trained by the DP trainer on DJL datasets, at example and user level. */
class DpTrainerTest {

    private static final int TRAIN = 600;

    private static SequentialBlock gruClassifier(Vocabulary vocabulary) {
        return new SequentialBlock()
                .add(TrainableWordEmbedding.builder().setVocabulary(vocabulary).setEmbeddingSize(12).build())
                .add(GRU.builder().setStateSize(16).setNumLayers(1).build())
                .add(x -> new NDList(x.head().get(":, -1, :")))
                .add(Linear.builder().setUnits(TicketDatasets.classes()).build());
    }

    /** Runs {@code body} on a GRU classifier's trainer, initialised, with 600 training and 300 validation records. */
    private static void withGruTrainer(DpTrainingConfig config, long seed, TrainerBody body) {
        Vocabulary vocabulary = TicketDatasets.vocabulary();
        try (Model model = Model.newInstance("gru")) {
            model.setBlock(gruClassifier(vocabulary));
            ArrayDataset train = TicketDatasets.dataset(model.getNDManager(), vocabulary, TRAIN, 1);
            ArrayDataset valid = TicketDatasets.dataset(model.getNDManager(), vocabulary, 300, 2);
            try (DpTrainer trainer = DpTrainer.newTrainerForTesting(model, config, TrainingRandomness.seededForTesting(seed))) {
                trainer.initialize(new Shape(1, TicketDatasets.LENGTH));
                body.run(trainer, train, valid);
            }
        }
    }

    private interface TrainerBody {
        void run(DpTrainer trainer, ArrayDataset train, ArrayDataset valid);
    }

    private static DpSgdConfig.Builder privacy() {
        return DpSgdConfig.builder().targetEpsilon(8).optDelta(1e-5).optEpochs(6).optExpectedBatchSize(40)
                .optOptimizer(OptimizerKind.ADAM).optLearningRate(0.03);
    }

    @Test
    void aGruClassifierLearnsAtEpsilonEightAndTheAccountantCoversEveryStep() {
        List<EpochSummary> epochs = new ArrayList<>();
        DpTrainingConfig config = DpTrainingConfig.builder()
                .setLoss(PerExampleLoss.softmaxCrossEntropy())
                .setPrivacy(privacy().build())
                .addTrainingListeners(new TrainingListener() {
                    @Override
                    public void onEpochEnd(EpochSummary summary) {
                        epochs.add(summary);
                    }
                })
                .build();
        withGruTrainer(config, 3, (trainer, train, valid) -> {
            double before = trainer.evaluate(valid).accuracy();
            TrainingResult result = trainer.fit(train, valid);
            assertThat(result.isPrivate()).isTrue();
            assertThat(result.sampleRate()).isEqualTo(40.0 / TRAIN);
            assertThat(result.steps()).isEqualTo(result.plannedSteps()).isEqualTo(6 * TRAIN / 40);
            assertThat(result.epsilon()).isLessThanOrEqualTo(8 * (1 + 1e-6)).isGreaterThan(7.5);
            // the reported ε is the accountant's for exactly the steps taken (q, σ) from the plan
            PrivacyAccountant reference = Accountants.newAccountant(AccountantKind.PLD);
            reference.compose(new PrivacyEvent.PoissonGaussian(result.sampleRate(), result.noiseMultiplier(),
                    result.steps()));
            assertThat(result.epsilon()).isCloseTo(reference.epsilon(1e-5), org.assertj.core.data.Offset.offset(1e-9));
            assertThat(result.validAccuracy()).as("chance is 1/3; before training %s", before).isGreaterThan(0.7);
            assertThat(epochs).hasSize(6);
            assertThat(epochs.get(5).epsilon()).isEqualTo(result.epsilon());
        });
    }

    @Test
    void userLevelPrivacySamplesUsersAndClipsTheirSums() {
        DpTrainingConfig config = DpTrainingConfig.builder()
                .setLoss(PerExampleLoss.softmaxCrossEntropy())
                .setPrivacy(privacy().optPrivacyUnit(PrivacyUnit.USER).optExpectedBatchSize(20).build())
                .build();
        withGruTrainer(config, 4, (trainer, train, valid) -> {
            assertThatThrownBy(() -> trainer.fit(train, valid))
                    .hasMessage("privacy unit user needs a user id per training record: fit(train, valid, userIds)");
            TrainingResult result = trainer.fit(train, valid, TicketDatasets.users(TRAIN));
            assertThat(result.privacyUnit()).isEqualTo(PrivacyUnit.USER);
            assertThat(result.sampleRate()).isEqualTo(20.0 / (TRAIN / 3));
            assertThat(result.epsilon()).isLessThanOrEqualTo(8 * (1 + 1e-6));
            assertThat(result.validAccuracy()).isGreaterThan(0.5);
        });
    }

    @Test
    void aModelWithABlockTheFusedClipperCannotWalkIsRefusedUnlessTheLoopIsChosen() {
        Vocabulary vocabulary = TicketDatasets.vocabulary();
        SequentialBlock block = new SequentialBlock()
                .add(TrainableWordEmbedding.builder().setVocabulary(vocabulary).setEmbeddingSize(4).build())
                .add(new ScaleBlock())
                .add(x -> new NDList(x.head().mean(new int[] {1})))
                .add(Linear.builder().setUnits(TicketDatasets.classes()).build());
        DpTrainingConfig.Builder config = DpTrainingConfig.builder()
                .setLoss(PerExampleLoss.softmaxCrossEntropy())
                .setPrivacy(privacy().optEpochs(1).build());
        try (Model model = Model.newInstance("custom")) {
            model.setBlock(block);
            assertThatThrownBy(() -> DpTrainer.newTrainer(model, config.build()))
                    .isInstanceOf(UnsupportedModelException.class)
                    .hasMessageContaining("SequentialBlock/02ScaleBlock");
            try (DpTrainer trainer = DpTrainer.newTrainerForTesting(model, config.optClipper(ClipperKind.LOOP).build(),
                    TrainingRandomness.seededForTesting(5))) {
                trainer.initialize(new Shape(1, TicketDatasets.LENGTH));
                ArrayDataset train = TicketDatasets.dataset(model.getNDManager(), vocabulary, 200, 1);
                TrainingResult result = trainer.fit(train, null);
                assertThat(result.steps()).isEqualTo(5);
                assertThat(result.epsilon()).isLessThanOrEqualTo(8 * (1 + 1e-6));
            }
        }
    }

    @Test
    void withoutPrivacyTheSameModelTrainsOnPlainBatches() {
        DpTrainingConfig config = DpTrainingConfig.builder()
                .setLoss(PerExampleLoss.softmaxCrossEntropy())
                .setPrivacy(DpSgdConfig.builder().noPrivacy().optEpochs(3).optExpectedBatchSize(40)
                        .optOptimizer(OptimizerKind.ADAM).optLearningRate(0.03).optSeed(1).build())
                .build();
        withGruTrainer(config, 5, (trainer, train, valid) -> {
            TrainingResult result = trainer.fit(train, valid);
            assertThat(result.isPrivate()).isFalse();
            assertThat(result.epsilon()).isInfinite();
            assertThat(result.validAccuracy()).isGreaterThan(0.8);
        });
    }

    @Test
    void publicPreconditioningIsRefusedForABlockModel() {
        DpTrainingConfig.Builder config = DpTrainingConfig.builder().setLoss(PerExampleLoss.softmaxCrossEntropy())
                .setPrivacy(privacy().optPrecondition("public:latin-char-lm").build());
        assertThatThrownBy(config::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("precondition must be off for DpTrainer (public preconditioning is for the project's"
                        + " language models), was public:latin-char-lm");
    }
}
