package org.dplstm.privacy;

import java.util.List;

/**
 * Tracks the privacy spent by a sequence of {@link PrivacyEvent}s under add-or-remove-one
 * neighbouring datasets, and converts it to an (epsilon, delta) guarantee. Both bounds are
 * upper bounds: an accountant may over-state the spending, never under-state it.
 */
public interface PrivacyAccountant {

    AccountantKind kind();

    /** Adds an event to the history; an event this accountant cannot bound is an IllegalArgumentException. */
    void compose(PrivacyEvent event);

    /** Whether this accountant can bound {@code event} (the PLD accountant has no bound for tuning). */
    default boolean supports(PrivacyEvent event) {
        return true;
    }

    /** Adds every event, in order. */
    default void composeAll(Iterable<? extends PrivacyEvent> events) {
        for (PrivacyEvent event : events) {
            compose(event);
        }
    }

    /** The events composed so far, in order (an unmodifiable copy). */
    List<PrivacyEvent> history();

    /**
     * The smallest epsilon this accountant can certify at {@code delta}, after spending the sum of
     * the {@link PrivacyEvent.ThresholdDelta} events from {@code delta}; {@code +Infinity} when no
     * finite epsilon is certified. Throws when the threshold deltas already use up {@code delta}.
     * Both this and {@link #delta} throw an IllegalArgumentException when the history is beyond
     * what the accountant can compute ({@link HistoryOutOfRangeException}).
     */
    double epsilon(double delta);

    /** The delta at {@code epsilon} (including threshold deltas), at most 1. */
    double delta(double epsilon);
}
