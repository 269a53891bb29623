package org.dplstm.privacy.pld;

/**
 * The PLD accountant cannot compose a history because its privacy-loss grid would be too large:
 * an FFT beyond {@link Fft#MAX_SIZE} points, or more memory than the heap holds. Tiny noise
 * multipliers give losses spread over hundreds of nats with a fine grid, so this is a property
 * of the inputs (sample rate, noise multiplier, steps), not a fault of the program.
 *
 * <p>An {@link IllegalArgumentException} on purpose: the inputs ask for noise the accountant
 * cannot represent, and the remedy is other inputs (a larger noise multiplier, or the RDP
 * accountant, which has no such limit), so a command reports it as bad input (one line, exit 2)
 * rather than as a bug. The size limit is checked before the large arrays are allocated and does
 * not depend on the heap, so whether a history is computable is the same in every run; {@code
 * NoiseCalibrator} relies on that, treating a noise multiplier that raises this as not meeting
 * its target. Only running out of memory below the limit (a heap of a few hundred MB) depends on
 * the machine.
 */
public final class PldGridTooLargeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public PldGridTooLargeException(String message) {
        super(message);
    }

    public PldGridTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
