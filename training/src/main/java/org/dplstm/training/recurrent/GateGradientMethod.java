package org.dplstm.training.recurrent;

import ai.djl.Device;

/** How the fused method obtains δ = ∂L/∂(gate pre-activations) of each LSTM direction. */
public enum GateGradientMethod {
    /**
     * Engine ops step by step with the cell's local derivatives kept from the forward, no
     * autograd. Does the plain step's matmuls and no more; the default on a CPU, where it beat
     * the identity-input variant about 3x on the LSTM core (B=64, T=32, H=128).
     */
    UNROLLED,
    /**
     * ARCHITECTURE §3 as written: the engine's fused LSTM (cuDNN) on u = x·W_ihᵀ + b with identity
     * input weights and zero-valued leaf probes, one autograd backward. Its (4H×4H) matmul per
     * token is cheap on a GPU, and it keeps the whole recurrence inside one kernel there; the
     * default on a GPU.
     */
    ENGINE_IDENTITY;

    /** ENGINE_IDENTITY on a GPU, UNROLLED otherwise. */
    public static GateGradientMethod forDevice(Device device) {
        return device.isGpu() ? ENGINE_IDENTITY : UNROLLED;
    }
}
