package org.dplstm.training.mechanism.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.recurrent.GRU;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import org.dplstm.training.mechanism.ScaleBlock;
import org.dplstm.training.mechanism.TestModels;
import org.dplstm.training.mechanism.layers.LayerRegistry;
import org.dplstm.training.mechanism.loss.PerExampleLoss;
import org.dplstm.training.model.TestManager;
import org.dplstm.training.recurrent.GateGradientMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every block the fused clipper cannot walk is named before training; the loop clipper takes any block. */
class BlockValidatorTest {

    @RegisterExtension static TestManager engine = TestManager.perClass();

    private static List<UnsupportedBlock> check(Block model) {
        return BlockValidator.check(model, LayerRegistry.standard(GateGradientMethod.UNROLLED));
    }

    @Test
    void supportedModelsHaveNoProblems() {
        assertThat(check(TestModels.recurrentClassifier(true, 4, 5, 2, false, true, 3))).isEmpty();
        assertThat(check(TestModels.recurrentClassifier(false, 4, 5, 1, true, false, 3))).isEmpty();
        assertThat(check(TestModels.textCnn(4, 3, 3, 2))).isEmpty();
        assertThat(check(TestModels.mlp(4, 2))).isEmpty();
        assertThat(check(TestModels.tiedLanguageModel(4))).isEmpty();
    }

    @Test
    void everyUnsupportedBlockIsNamedWithWhereItIsAndWhy() {
        SequentialBlock inner = new SequentialBlock().add(new ScaleBlock()).add(Activation.reluBlock());
        SequentialBlock model = new SequentialBlock()
                .add(Linear.builder().setUnits(4).build())
                .add(inner)
                .add(BatchNorm.builder().build())
                .add(GRU.builder().setStateSize(3).setNumLayers(2).optDropRate(0.5f).build())
                .add(LSTM.builder().setStateSize(3).setNumLayers(1).optReturnState(true).build())
                .add(GRU.builder().setStateSize(3).setNumLayers(1).optBidirectional(true).build());
        List<UnsupportedBlock> problems = check(model);
        assertThat(problems).extracting(UnsupportedBlock::path).containsExactly(
                "SequentialBlock/02SequentialBlock/01ScaleBlock",
                "SequentialBlock/03BatchNorm",
                "SequentialBlock/04GRU",
                "SequentialBlock/05LSTM",
                "SequentialBlock/06GRU");
        assertThat(problems.get(0).reason()).contains("trainable parameters and no fused per-example method")
                .contains("Linear").contains("GRU");
        assertThat(problems.get(0).blockClass()).isEqualTo(ScaleBlock.class.getName());
        assertThat(problems.get(1).reason()).contains("BatchNorm mixes the examples");
        assertThat(problems.get(2).reason()).contains("optDropRate");
        assertThat(problems.get(3).reason()).contains("optReturnState(true)");
        assertThat(problems.get(4).reason()).contains("bidirectional with biases");

        assertThatThrownBy(() -> FusedClipper.builder().setModel(model).setLoss(PerExampleLoss.l2()).build())
                .isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("SequentialBlock/02SequentialBlock/01ScaleBlock (" + ScaleBlock.class.getName())
                .hasMessageContaining("loop clipper");
    }

    @Test
    void aBlockReadingAnotherBlocksParameterIsRefusedWhenWalked() {
        NDManager manager = engine.manager();
        Linear linear = Linear.builder().setUnits(2).build();
        // no parameter of its own, so it passes validation, but it asks the store for the Linear's
        // weight: a use the clipper would not see, refused as soon as it happens
        AbstractBlock borrowing = new AbstractBlock() {
            @Override
            protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                    PairList<String, Object> params) {
                NDArray weight = store.getValue(linear.getParameters().get("weight"), inputs.head().getDevice(), training);
                return new NDList(inputs.head().matMul(weight.transpose()));
            }

            @Override
            public Shape[] getOutputShapes(Shape[] inputs) {
                return inputs;
            }
        };
        SequentialBlock model = new SequentialBlock().add(linear).add(borrowing);
        TestModels.initialize(model, manager, DataType.FLOAT32, new Shape(3, 2), 1);
        assertThat(check(model)).isEmpty();
        FusedClipper fused = FusedClipper.builder().setModel(model).setLoss(PerExampleLoss.l2()).build();
        ExampleBatch batch = new ExampleBatch(new NDList(TestModels.normal(manager, new Shape(3, 2), DataType.FLOAT32, 1)),
                new NDList(TestModels.normal(manager, new Shape(3, 2), DataType.FLOAT32, 2)));
        try (NDManager scope = manager.newSubManager()) {
            assertThatThrownBy(() -> fused.clippedSum(scope, batch, 1.0))
                    .hasMessageContaining("reads the trainable parameter weight of another block");
        }
    }

    @Test
    void theLoopClipperTrainsABlockTheFusedOneRefuses() {
        NDManager manager = engine.manager();
        SequentialBlock model = new SequentialBlock()
                .add(Linear.builder().setUnits(3).build())
                .add(new ScaleBlock())
                .add(Linear.builder().setUnits(2).build());
        TestModels.initialize(model, manager, DataType.FLOAT32, new Shape(5, 4), 3);
        LoopClipper loop = new LoopClipper(model, PerExampleLoss.l2());
        ExampleBatch batch = new ExampleBatch(new NDList(TestModels.normal(manager, new Shape(5, 4), DataType.FLOAT32, 4)),
                new NDList(TestModels.normal(manager, new Shape(5, 2), DataType.FLOAT32, 5)));
        try (NDManager scope = manager.newSubManager()) {
            var clipped = loop.clippedSum(scope, batch, 0.5);
            assertThat(loop.parameters().names()).contains("02ScaleBlock_scale");
            double[] norms = clipped.norms().toType(DataType.FLOAT64, false).toDoubleArray();
            assertThat(norms).hasSize(5);
            assertThat(java.util.Arrays.stream(norms).min().orElseThrow()).isPositive();
            // every unit clipped to 0.5 at most: the sum's norm is at most 5 × 0.5
            double squared = 0;
            for (var sum : clipped.sums()) {
                squared += sum.square().sum().getFloat();
            }
            assertThat(Math.sqrt(squared)).isLessThanOrEqualTo(2.5 + 1e-5);
        }
    }
}
