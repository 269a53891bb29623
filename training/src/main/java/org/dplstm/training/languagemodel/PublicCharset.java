package org.dplstm.training.languagemodel;

import java.util.ArrayList;
import java.util.List;
import org.dplstm.data.sanitize.PiiType;

/**
 * The fixed character vocabulary of character-level language models: printable ASCII, the space,
 * a few typographic marks NFKC keeps (curly quotes, dashes), and the redaction placeholders as
 * single tokens. Public by construction, so it costs no privacy; any other character is the
 * unknown token.
 */
final class PublicCharset {

    /** Curly quotes, en and em dash, degree sign: common in prose and unchanged by NFKC. */
    private static final String TYPOGRAPHIC = "\u2018\u2019\u201C\u201D\u2013\u2014\u00B0";

    private PublicCharset() {}

    /** The tokens in id order (before the reserved ids, see {@link LanguageModelEncoder}). */
    static List<String> tokens() {
        List<String> tokens = new ArrayList<>();
        tokens.add(" ");
        for (char c = 33; c < 127; c++) {
            tokens.add(String.valueOf(c));
        }
        for (char c : TYPOGRAPHIC.toCharArray()) {
            tokens.add(String.valueOf(c));
        }
        for (PiiType type : PiiType.values()) {
            tokens.add(type.placeholder());
        }
        return tokens;
    }
}
