package org.dplstm.spark;

import java.io.Serializable;
import org.dplstm.privacy.sampling.StepCoins;

/**
 * One step's broadcast: the step number, the model's weights as one flat array (parameters in
 * order, each row-major), and the step's Poisson coins (its key and q; never the run's key).
 */
record StepInput(long step, float[] weights, StepCoins coins) implements Serializable {

    private static final long serialVersionUID = 1L;
}
