package org.dplstm.training.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.dplstm.data.io.TextRecord;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.TrainingResult;
import org.junit.jupiter.api.Test;

/** Runs the README's library snippet verbatim (between the markers) on small data. */
class LibrarySnippetTest {

    @Test
    void readmeSnippetTrainsAPrivateClassifierAndReportsItsEpsilon() {
        List<TextRecord> train = TicketTexts.generate(600, 1);
        List<TextRecord> valid = TicketTexts.generate(300, 2);
        TrainingResult result;
        Prediction prediction;
        // --- README snippet start ---
        DpSgdConfig config = DpSgdConfig.builder()
                .targetEpsilon(3).optDelta(1e-5)
                .optEpochs(6).optExpectedBatchSize(60)
                .build();
        try (TextClassifierTrainer trainer = TextClassifierTrainer.builder()
                .config(config)
                .optEmbeddingDim(16).optHiddenSize(32)
                .build()) {
            result = trainer.fit(train, valid);
            System.out.printf("valid accuracy %.3f at epsilon %.2f (delta %g)%n",
                    result.validAccuracy(), result.epsilon(), result.delta());
            prediction = trainer.classifier().predict("I was charged twice, please refund my payment");
        }
        // --- README snippet end ---
        assertThat(result.isPrivate()).isTrue();
        assertThat(result.epsilon()).isLessThanOrEqualTo(3 * (1 + 1e-6)).isGreaterThan(2.5);
        assertThat(result.steps()).isEqualTo(60);
        assertThat(result.validAccuracy()).isGreaterThan(0.7);
        assertThat(prediction.label()).isEqualTo("billing");
        assertThat(prediction.probability()).isBetween(1.0 / 3, 1.0);
    }
}
