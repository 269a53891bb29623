package org.dplstm.privacy.noise;

/** Adds independent N(0, stddev^2) noise to every element of an array, in place. */
public interface GaussianNoise {

    void addTo(float[] values, double stddev);

    void addTo(double[] values, double stddev);
}
