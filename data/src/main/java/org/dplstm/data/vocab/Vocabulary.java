package org.dplstm.data.vocab;

import java.util.List;

/** Maps tokens to ids in {@code [0, size())}; id 0 is padding and id 1 the unknown token. */
public interface Vocabulary {
    int PADDING_ID = 0;
    int UNKNOWN_ID = 1;

    /** The number of ids, reserved ones included. */
    int size();

    /** The id of {@code token}: {@link #UNKNOWN_ID} if it is not in the vocabulary. */
    int id(String token);

    default int[] ids(List<String> tokens) {
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = id(tokens.get(i));
        }
        return ids;
    }
}
