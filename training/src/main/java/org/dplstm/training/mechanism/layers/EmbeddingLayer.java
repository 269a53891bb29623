package org.dplstm.training.mechanism.layers;

import ai.djl.modality.nlp.embedding.TrainableWordEmbedding;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import org.dplstm.training.mechanism.ghost.FusedPass;
import org.dplstm.training.mechanism.ghost.PositionRows;
import org.dplstm.training.mechanism.ghost.Probe;
import org.dplstm.training.mechanism.ghost.UseGradient;

/**
 * DJL's {@link TrainableWordEmbedding}: rows of a (V, E) table looked up by token id. Per example
 * the table's gradient is Σ_n e_{x_n} ⊗ g_n, so two positions add to each other's norm only when
 * their tokens are equal: Σ_{t,s} [x_t = x_s](g_t·g_s) (ARCHITECTURE §3.3).
 */
public final class EmbeddingLayer implements FusedLayer<TrainableWordEmbedding> {

    @Override
    public NDList forward(FusedPass pass, TrainableWordEmbedding block, NDList inputs) {
        NDArray ids = inputs.head();
        Probe output = pass.probe(block.forward(pass.store(), inputs, pass.training()).head());
        Parameter table = block.getDirectParameters().get("embedding");
        NDArray constantIds = ids.toType(DataType.INT64, true);
        constantIds.attach(pass.work());
        pass.use(table, () -> {
            PositionRows gradients = Rows.positions(output.gradient());
            PositionRows rows = PositionRows.batchMajor(constantIds.reshape(gradients.examples(), -1, 1));
            return new UseGradient.TableRows(rows, gradients, table.getArray().getShape().get(0));
        });
        return new NDList(output.output());
    }
}
