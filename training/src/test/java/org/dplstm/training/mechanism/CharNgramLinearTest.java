package org.dplstm.training.mechanism;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.dataset.ArrayDataset;
import java.util.List;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.vocab.CharNgramBag;
import org.dplstm.training.classifier.TicketTexts;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.OptimizerKind;
import org.dplstm.training.dpsgd.TrainingResult;
import org.dplstm.training.mechanism.loss.PerExampleLoss;
import org.junit.jupiter.api.Test;

/**
 * A linear classifier over {@link CharNgramBag} vectors trains with DpTrainer as any DJL block does
 * (README, "Accuracy at small ε": the hashed n-gram classifier), and learns the test tickets' topics
 * at ε = 3, where guessing gives one in three.
 */
class CharNgramLinearTest {

    @Test
    void aLinearClassifierOverHashedCharacterNgramsLearnsTheTicketTopicsAtEpsilon3() {
        CharNgramBag bag = CharNgramBag.builder().optBuckets(1024).build();
        DpTrainingConfig config = DpTrainingConfig.builder()
                .setLoss(PerExampleLoss.softmaxCrossEntropy())
                .setPrivacy(DpSgdConfig.builder().targetEpsilon(3).optDelta(1e-5).optEpochs(20)
                        .optExpectedBatchSize(300).optOptimizer(OptimizerKind.ADAM).optLearningRate(0.05).build())
                .build();
        try (NDManager manager = NDManager.newBaseManager(); Model model = Model.newInstance("ngram-linear")) {
            model.setBlock(new SequentialBlock().add(Linear.builder().setUnits(TicketTexts.labels().size()).build()));
            try (DpTrainer trainer = DpTrainer.newTrainer(model, config)) {
                trainer.initialize(new Shape(1, bag.size()));
                TrainingResult result = trainer.fit(dataset(manager, bag, TicketTexts.generate(600, 1)),
                        dataset(manager, bag, TicketTexts.generate(300, 2)));
                assertThat(result.epsilon()).isLessThanOrEqualTo(3);
                assertThat(result.validAccuracy()).isGreaterThan(0.7); // well above chance, with room for one run's noise
            }
        }
    }

    private static ArrayDataset dataset(NDManager manager, CharNgramBag bag, List<TextRecord> records) {
        float[] features = new float[records.size() * bag.size()];
        long[] labels = new long[records.size()];
        for (int r = 0; r < records.size(); r++) {
            System.arraycopy(bag.vector(records.get(r).text()), 0, features, r * bag.size(), bag.size());
            labels[r] = TicketTexts.labels().indexOf(records.get(r).label());
        }
        return new ArrayDataset.Builder().setData(manager.create(features, new Shape(records.size(), bag.size())))
                .optLabels(manager.create(labels)).setSampling(1, false).build();
    }
}
