package org.dplstm.privacy;

/**
 * An accountant cannot bound a history: its numbers would leave the range it computes in. The
 * PLD accountant raises it when its privacy-loss grid would need an FFT beyond its size limit or
 * more memory than the heap holds, or when losses would leave what doubles represent. Tiny noise
 * multipliers cause all of these, so this is a property of the inputs (sample rate, noise
 * multiplier, steps), not a fault of the program.
 *
 * <p>An {@link IllegalArgumentException} on purpose: the remedy is other inputs (a larger noise
 * multiplier, or an accountant without the limit), so a command reports it as bad input (one line,
 * exit 2) rather than as a bug. Limits are checked before large arrays are allocated and do not
 * depend on the heap, so whether a history is computable is the same in every run; {@code
 * NoiseCalibrator} relies on that, treating a noise multiplier that raises this as not meeting its
 * target, and the audit trail leaves out an accountant other than the run's own that raises it.
 * Only running out of memory below the limits (a heap of a few hundred MB) depends on the machine.
 */
public final class HistoryOutOfRangeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public HistoryOutOfRangeException(String message) {
        super(message);
    }

    public HistoryOutOfRangeException(String message, Throwable cause) {
        super(message, cause);
    }
}
