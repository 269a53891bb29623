package org.dplstm.training.mechanism.clip;

import java.util.List;
import java.util.stream.Collectors;

/** A model the fused clipper refuses, naming every block it cannot walk (bad input: exit 2 from the CLI). */
public final class UnsupportedModelException extends IllegalArgumentException {

    private final transient List<UnsupportedBlock> blocks;

    public UnsupportedModelException(List<UnsupportedBlock> blocks) {
        super("model must be made of blocks the fused clipper can walk exactly, but "
                + blocks.stream().map(UnsupportedBlock::toString).collect(Collectors.joining("; "))
                + " (choose the per-example loop clipper explicitly to train any block, slowly)");
        this.blocks = List.copyOf(blocks);
    }

    public List<UnsupportedBlock> blocks() {
        return blocks;
    }
}
