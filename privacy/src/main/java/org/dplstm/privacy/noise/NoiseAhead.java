package org.dplstm.privacy.noise;

import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.dplstm.privacy.Checks;

/**
 * Draws the next step's Gaussian noise on a background thread while the caller computes the
 * current step: DP-SGD's noise does not depend on the data (Abadi et al. 2016, Alg. 1 adds
 * N(0, σ²C²I) whatever the batch), so drawing it early changes nothing in the mechanism, and on a
 * multi-core CPU its cost leaves the step's critical path. Every buffer is drawn fresh and handed
 * out once, in the order the source produced them; the buffer drawn for a step that never comes is
 * dropped unused when closed. Not thread-safe: one consumer takes the buffers.
 *
 * @param <T> the buffer type, {@code float[]} or {@code double[]}
 */
public final class NoiseAhead<T> implements AutoCloseable {

    /**
     * Draws per slice of the background work (about 50 µs), after each of which the drawing thread
     * yields its core. On a CPU whose cores the engine's threads all use, a thread that held a core
     * for a whole scheduler slice stalled the engine's parallel ops for milliseconds: the step's
     * noise cost 5.2–5.8 ms of a 46–61 ms bench step drawn in one piece, 2.1–2.7 ms in slices.
     */
    static final int CHUNK = 8192;

    /** Idle seconds after which the drawing thread ends (a new one starts with the next draw). */
    private static final long IDLE_SECONDS = 2;

    private final Supplier<T> draw;
    private final ThreadPoolExecutor worker;
    private Future<T> next;

    private NoiseAhead(Supplier<T> draw) {
        this.draw = draw;
        // One thread, so buffers come in the source's order; it ends when idle, so an instance
        // nobody closes (a trainer's noise kept between runs) holds no thread.
        this.worker = new ThreadPoolExecutor(1, 1, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "noise-ahead");
                    thread.setDaemon(true);
                    return thread;
                });
        this.worker.allowCoreThreadTimeOut(true);
        this.next = worker.submit(draw::get);
    }

    /** Buffers of {@code size} float32 draws of N(0, stddev²); the first is being drawn already. */
    public static NoiseAhead<float[]> floats(GaussianNoise noise, int size, double stddev) {
        check(noise, size, stddev);
        return new NoiseAhead<>(inSlices(size, float[]::new, slice -> noise.addTo(slice, stddev)));
    }

    /** Buffers of {@code size} float64 draws of N(0, stddev²); the first is being drawn already. */
    public static NoiseAhead<double[]> doubles(GaussianNoise noise, int size, double stddev) {
        check(noise, size, stddev);
        return new NoiseAhead<>(inSlices(size, double[]::new, slice -> noise.addTo(slice, stddev)));
    }

    /**
     * A buffer of {@code size} draws made {@link #CHUNK} at a time into fresh zeroed slices (the
     * source adds its draws), yielding the core between slices; {@code T} is a primitive array.
     */
    private static <T> Supplier<T> inSlices(int size, IntFunction<T> newArray, Consumer<T> addNoise) {
        return () -> {
            T values = newArray.apply(size);
            for (int start = 0; start < size; start += CHUNK) {
                if (Thread.currentThread().isInterrupted()) {
                    return values; // closed: this buffer is dropped unused; stop drawing from the source
                }
                int length = Math.min(CHUNK, size - start);
                T slice = newArray.apply(length);
                addNoise.accept(slice);
                System.arraycopy(slice, 0, values, start, length);
                Thread.yield();
            }
            return values;
        };
    }

    private static void check(GaussianNoise noise, int size, double stddev) {
        Objects.requireNonNull(noise, "noise");
        Checks.nonNegative("noise buffer size", size);
        Checks.nonNegative("noise stddev", stddev);
        Checks.finite("noise stddev", stddev);
    }

    /** The buffer drawn for this step (waiting for it if needed); starts drawing the next one. */
    public T take() {
        if (worker.isShutdown()) {
            throw new IllegalStateException("noise-ahead is closed");
        }
        try {
            T values = next.get();
            next = worker.submit(draw::get);
            return values;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while drawing noise", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("drawing noise failed", e.getCause());
        }
    }

    /** Stops the background thread; the buffer being drawn is discarded. */
    @Override
    public void close() {
        worker.shutdownNow();
    }
}
