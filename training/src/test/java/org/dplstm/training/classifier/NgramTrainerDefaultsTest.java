package org.dplstm.training.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import org.dplstm.training.model.ModelKind;
import org.junit.jupiter.api.Test;

class NgramTrainerDefaultsTest {

    @Test
    void theNgramModelKeepsItsOwnDefaultLengthUnlessOneIsSetAfterChoosingIt() {
        assertThat(TextClassifierTrainer.builder().maxLength()).isEqualTo(64); // the recurrent default: ~21 characters of n-grams
        assertThat(TextClassifierTrainer.builder().optModel(ModelKind.NGRAM).maxLength())
                .isEqualTo(TextEncoder.NGRAM_MAX_LENGTH).isGreaterThan(64);
        assertThat(TextClassifierTrainer.builder().optModel(ModelKind.NGRAM).optMaxLength(300).maxLength()).isEqualTo(300);
    }
}
