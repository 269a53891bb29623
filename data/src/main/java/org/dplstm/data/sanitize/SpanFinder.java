package org.dplstm.data.sanitize;

import java.util.List;

/** One detector: a cheap scan for candidates, then validation of each candidate. */
interface SpanFinder {

    /** Appends the validated spans found in {@code text} to {@code out} (overlaps allowed). */
    void find(String text, List<PiiSpan> out);
}
