package org.dplstm.data.vocab;

import java.util.List;
import org.dplstm.privacy.PrivacyEvent;

/**
 * A vocabulary chosen with differential privacy and the privacy it spent: compose {@link
 * #events()} into the training run's accountant.
 */
public record DpVocabulary(WordListVocabulary vocabulary, List<PrivacyEvent> events) {

    public DpVocabulary {
        events = List.copyOf(events);
    }
}
