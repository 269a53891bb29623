package org.dplstm.training.bench;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.dplstm.privacy.noise.GaussianNoise;

/**
 * Draws the next step's Gaussian noise on a background thread while the engine computes the
 * current step's clipped sum: the noise does not depend on the data, so drawing it early changes
 * nothing in the mechanism, and on a multi-core CPU its cost leaves the step's critical path.
 * Every buffer is drawn fresh and handed out once.
 */
final class NoiseAhead implements AutoCloseable {

    private final GaussianNoise noise;
    private final int size;
    private final double stddev;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "noise-ahead");
        thread.setDaemon(true);
        return thread;
    });
    private Future<float[]> next;

    NoiseAhead(GaussianNoise noise, int size, double stddev) {
        this.noise = noise;
        this.size = size;
        this.stddev = stddev;
        this.next = worker.submit(this::draw);
    }

    private float[] draw() {
        float[] values = new float[size];
        noise.addTo(values, stddev);
        return values;
    }

    /** The buffer drawn for this step (waiting for it if needed); starts drawing the next one. */
    float[] take() {
        try {
            float[] values = next.get();
            next = worker.submit(this::draw);
            return values;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while drawing noise", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("drawing noise failed", e.getCause());
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
