package org.dplstm.training.mechanism.clip;

/** A block the fused clipper cannot walk exactly: where it is in the model, its class, and why. */
public record UnsupportedBlock(String path, String blockClass, String reason) {

    @Override
    public String toString() {
        return path + " (" + blockClass + "): " + reason;
    }
}
