package org.dplstm.training.mechanism.clip;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dplstm.training.mechanism.layers.FusedLayer;
import org.dplstm.training.mechanism.layers.LayerRegistry;

/**
 * Names every block of a model that the fused clipper cannot walk exactly, before training starts
 * (as Opacus's validators do). Walkable: a {@link SequentialBlock} (exactly that class) of
 * walkable children; a leaf whose exact class has a fused method, in settings the method covers;
 * and any block without trainable parameters, run as it is (it must treat each example on its
 * own, ARCHITECTURE §2 — BatchNorm does not and is always refused).
 */
public final class BlockValidator {

    private BlockValidator() {}

    /** Every unsupported block, outermost first; empty when the whole model can be walked. */
    public static List<UnsupportedBlock> check(Block model, LayerRegistry layers) {
        List<UnsupportedBlock> problems = new ArrayList<>();
        check(model.getClass().getSimpleName(), model, layers, problems);
        return problems;
    }

    private static void check(String path, Block block, LayerRegistry layers, List<UnsupportedBlock> problems) {
        if (block instanceof BatchNorm) {
            problems.add(new UnsupportedBlock(path, block.getClass().getName(), "BatchNorm mixes the examples of a"
                    + " batch, so no example has a gradient of its own; use LayerNorm"));
            return;
        }
        if (block.getClass() == SequentialBlock.class) {
            for (Pair<String, Block> child : block.getChildren()) {
                check(path + "/" + child.getKey(), child.getValue(), layers, problems);
            }
            return;
        }
        Optional<FusedLayer<Block>> layer = layers.layerFor(block);
        if (layer.isPresent()) {
            for (String reason : layer.get().problems(block)) {
                problems.add(new UnsupportedBlock(path, block.getClass().getName(), reason));
            }
            return;
        }
        if (!isConstant(block)) {
            problems.add(new UnsupportedBlock(path, block.getClass().getName(), "a block with trainable parameters"
                    + " and no fused per-example method (supported: SequentialBlock of "
                    + String.join(", ", layers.supportedNames()) + ", and blocks without trainable parameters)"));
        }
    }

    /** Whether no parameter of the block or its children needs a gradient. */
    static boolean isConstant(Block block) {
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            if (parameter.getValue().requiresGradient()) {
                return false;
            }
        }
        return true;
    }
}
