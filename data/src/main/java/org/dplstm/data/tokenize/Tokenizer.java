package org.dplstm.data.tokenize;

import java.util.List;

/** Splits text into tokens; placeholders such as {@code [EMAIL]} always stay single tokens. */
public interface Tokenizer {

    List<String> tokens(String text);
}
