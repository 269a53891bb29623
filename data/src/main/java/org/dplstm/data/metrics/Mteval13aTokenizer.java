package org.dplstm.data.metrics;

import java.util.regex.Pattern;

/**
 * The tokenization of NIST's mteval-v13a script, the standard for BLEU (WMT, sacreBLEU's default
 * "13a"): drop {@code <skipped>}, join hyphenated line breaks, unescape the four SGML entities,
 * then split off punctuation and symbols, periods and commas except between digits, and a dash
 * after a digit; finally collapse white space.
 */
public final class Mteval13aTokenizer {

    /** Symbols and punctuation in the ASCII ranges {-~, [-`, space-&, (-+, :-@ and '/'. */
    private static final Pattern SYMBOL = Pattern.compile("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])");
    private static final Pattern PERIOD_COMMA_AFTER_NON_DIGIT = Pattern.compile("([^0-9])([\\.,])");
    private static final Pattern PERIOD_COMMA_BEFORE_NON_DIGIT = Pattern.compile("([\\.,])([^0-9])");
    private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");

    private Mteval13aTokenizer() {}

    /** The tokens of {@code line} joined by single spaces. */
    public static String tokenize(String line) {
        String text = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ");
        if (text.indexOf('&') >= 0) {
            text = text.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
        }
        text = " " + text + " ";
        text = SYMBOL.matcher(text).replaceAll(" $1 ");
        text = PERIOD_COMMA_AFTER_NON_DIGIT.matcher(text).replaceAll("$1 $2 ");
        text = PERIOD_COMMA_BEFORE_NON_DIGIT.matcher(text).replaceAll(" $1 $2");
        text = DASH_AFTER_DIGIT.matcher(text).replaceAll("$1 $2 ");
        return String.join(" ", text.strip().split("(?U)\\s+"));
    }
}
