package org.dplstm.data.sanitize;

import java.util.List;
import org.dplstm.data.sanitize.person.PersonModel;
import org.dplstm.data.sanitize.person.PersonTagger;

/** Person names, found by the {@link PersonTagger} with a {@link PersonModel}. */
final class PersonFinder implements SpanFinder {
    private final PersonTagger tagger;

    PersonFinder(PersonModel model) {
        this.tagger = new PersonTagger(model);
    }

    @Override
    public void find(String text, List<PiiSpan> out) {
        tagger.find(text, (start, end) -> out.add(new PiiSpan(start, end, PiiType.PERSON.name())));
    }
}
