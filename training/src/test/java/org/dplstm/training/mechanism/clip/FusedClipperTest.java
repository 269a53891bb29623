package org.dplstm.training.mechanism.clip;

import static org.dplstm.training.mechanism.TestModels.classes;
import static org.dplstm.training.mechanism.TestModels.normal;
import static org.dplstm.training.mechanism.TestModels.tokens;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import org.dplstm.training.mechanism.TestModels;
import org.dplstm.training.mechanism.loss.PerExampleLoss;
import org.dplstm.training.model.TestManager;
import org.dplstm.training.recurrent.GateGradientMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every supported layer, alone and composed, clipped by the fused method and by the per-example
 * loop through the model's own forward and autograd (the independent reference): same norms, same
 * clipped sums, float32 to 1e-4 and float64 to 1e-9 relative.
 */
class FusedClipperTest {

    private static final int BATCH = 6;
    private static final int LENGTH = 5;
    private static final int CLASSES = 3;

    @RegisterExtension static TestManager engine = TestManager.perClass();

    @ParameterizedTest(name = "{0} {1} layers={2} bidirectional={3} biases={4} {5}")
    @CsvSource({
        "GRU, UNROLLED, 1, false, true, FLOAT32",
        "GRU, UNROLLED, 1, false, true, FLOAT64",
        "GRU, ENGINE_IDENTITY, 1, false, true, FLOAT32",
        "GRU, ENGINE_IDENTITY, 1, false, true, FLOAT64",
        "GRU, UNROLLED, 2, false, true, FLOAT64",
        "GRU, ENGINE_IDENTITY, 2, false, false, FLOAT64",
        "GRU, UNROLLED, 2, true, false, FLOAT64",
        "GRU, ENGINE_IDENTITY, 1, true, false, FLOAT32",
        "LSTM, UNROLLED, 1, false, true, FLOAT32",
        "LSTM, UNROLLED, 2, false, true, FLOAT64",
        "LSTM, ENGINE_IDENTITY, 2, false, true, FLOAT64",
        "LSTM, UNROLLED, 1, true, false, FLOAT64",
        "LSTM, ENGINE_IDENTITY, 2, true, false, FLOAT32",
    })
    void recurrentClassifierMatchesTheLoop(String cell, GateGradientMethod method, int layers, boolean bidirectional,
            boolean biases, DataType type) {
        SequentialBlock model = TestModels.recurrentClassifier(cell.equals("GRU"), 4, 5, layers, bidirectional, biases,
                CLASSES);
        assertFusedMatchesLoop(model, reference(model, cell, layers * (bidirectional ? 2 : 1), type), type, method,
                tokenBatch(BATCH, null), PerExampleLoss.softmaxCrossEntropy());
    }

    @ParameterizedTest
    @CsvSource({"FLOAT32", "FLOAT64"})
    void textCnnMatchesTheLoop(DataType type) {
        Block model = TestModels.textCnn(4, 6, 3, CLASSES);
        assertFusedMatchesLoop(model, type, GateGradientMethod.UNROLLED, tokenBatch(BATCH, null),
                PerExampleLoss.softmaxCrossEntropy());
    }

    @ParameterizedTest
    @CsvSource({"FLOAT32", "FLOAT64"})
    void layerNormMlpMatchesTheLoopUnderL2(DataType type) {
        NDManager manager = engine.manager();
        Block model = TestModels.mlp(7, 2);
        ExampleBatch batch = new ExampleBatch(new NDList(normal(manager, new Shape(BATCH, 4), type, 3)),
                new NDList(normal(manager, new Shape(BATCH, 2), type, 4)));
        assertFusedMatchesLoop(model, type, GateGradientMethod.UNROLLED, batch, PerExampleLoss.l2());
    }

    @Test
    void positionwiseMlpMatchesTheLoopUnderBinaryCrossEntropy() {
        NDManager manager = engine.manager();
        Block model = TestModels.mlp(7, 3);
        // (B, T, F): the Linear layers and the LayerNorm act at every position
        ExampleBatch batch = new ExampleBatch(new NDList(normal(manager, new Shape(BATCH, LENGTH, 4), DataType.FLOAT64, 5)),
                new NDList(classes(manager, new Shape(BATCH, LENGTH, 3), 2, 6)));
        assertFusedMatchesLoop(model, DataType.FLOAT64, GateGradientMethod.UNROLLED, batch,
                PerExampleLoss.sigmoidBinaryCrossEntropy());
    }

    @ParameterizedTest
    @CsvSource({"FLOAT32", "FLOAT64"})
    void tiedEmbeddingAndOutputWeightMatchTheLoop(DataType type) {
        NDManager manager = engine.manager();
        Block model = TestModels.tiedLanguageModel(4);
        ExampleBatch batch = new ExampleBatch(new NDList(tokens(manager, BATCH, LENGTH, 7)),
                new NDList(classes(manager, new Shape(BATCH, LENGTH), TestModels.VOCAB, 8)));
        assertFusedMatchesLoop(model, type, GateGradientMethod.UNROLLED, batch, PerExampleLoss.softmaxCrossEntropy());
    }

    @Test
    void aBlockUsedTwiceMatchesTheLoop() {
        NDManager manager = engine.manager();
        Block model = TestModels.sharedLinear(4, 2);
        ExampleBatch batch = new ExampleBatch(new NDList(normal(manager, new Shape(BATCH, 4), DataType.FLOAT64, 9)),
                new NDList(normal(manager, new Shape(BATCH, 2), DataType.FLOAT64, 10)));
        assertFusedMatchesLoop(model, DataType.FLOAT64, GateGradientMethod.UNROLLED, batch, PerExampleLoss.l2());
    }

    @ParameterizedTest
    @CsvSource({"GRU, UNROLLED", "GRU, ENGINE_IDENTITY", "LSTM, UNROLLED"})
    void userGroupsClipTheSumOfTheirExamples(String cell, GateGradientMethod method) {
        SequentialBlock model = TestModels.recurrentClassifier(cell.equals("GRU"), 4, 5, 1, false, true, CLASSES);
        long[] users = {7, 3, 7, 9, 3, 7, 1, 9};
        assertFusedMatchesLoop(model, reference(model, cell, 1, DataType.FLOAT64), DataType.FLOAT64, method,
                tokenBatch(users.length, users), PerExampleLoss.softmaxCrossEntropy());
    }

    @Test
    void userGroupsWithTiedWeights() {
        NDManager manager = engine.manager();
        Block model = TestModels.tiedLanguageModel(4);
        long[] users = {2, 2, 5, 2, 6, 5};
        ExampleBatch batch = new ExampleBatch(new NDList(tokens(manager, users.length, LENGTH, 11)),
                new NDList(classes(manager, new Shape(users.length, LENGTH), TestModels.VOCAB, 12)), users);
        assertFusedMatchesLoop(model, DataType.FLOAT64, GateGradientMethod.UNROLLED, batch,
                PerExampleLoss.softmaxCrossEntropy());
    }

    @Test
    void userGroupsWithLayerNormAndMaterialisedPerExampleWeights() {
        NDManager manager = engine.manager();
        Block model = TestModels.mlp(7, 3);
        long[] users = {4, 1, 4, 4, 2, 1};
        // five positions of width 4 → 7 → 3: the Linear weights' materialised gradients are cheaper
        // than their Grams, so this exercises that path (and LayerNorm's per-example γ, β) per user
        ExampleBatch batch = new ExampleBatch(new NDList(normal(manager, new Shape(users.length, LENGTH, 4), DataType.FLOAT64, 13)),
                new NDList(classes(manager, new Shape(users.length, LENGTH, 3), 2, 14)), users);
        assertFusedMatchesLoop(model, DataType.FLOAT64, GateGradientMethod.UNROLLED, batch,
                PerExampleLoss.sigmoidBinaryCrossEntropy());
    }

    @Test
    void theWalkComputesTheModelsOwnForward() {
        NDManager manager = engine.manager();
        Block model = TestModels.recurrentClassifier(true, 4, 5, 2, true, false, CLASSES);
        ExampleBatch batch = tokenBatch(BATCH, null);
        TestModels.initialize(model, manager, DataType.FLOAT32, new Shape(BATCH, LENGTH), 1);
        for (GateGradientMethod method : GateGradientMethod.values()) {
            FusedClipper fused = FusedClipper.builder().setModel(model).setLoss(PerExampleLoss.softmaxCrossEntropy())
                    .optGateGradientMethod(method).build();
            try (NDManager scope = manager.newSubManager()) {
                NDArray walked = fused.forward(scope, batch.inputs()).singletonOrThrow();
                NDArray own = model.forward(new ParameterStore(scope, false), batch.inputs(), false).singletonOrThrow();
                ClipAssertions.assertClose(method + " output", walked, own, 1e-6);
            }
        }
    }

    private ExampleBatch tokenBatch(int size, long[] groups) {
        NDManager manager = engine.manager();
        return new ExampleBatch(new NDList(tokens(manager, size, LENGTH, 1)),
                new NDList(classes(manager, new Shape(size), CLASSES, 2)), groups);
    }

    /** The loop's model: the model itself, or in float64 the same blocks given float64 zero states. */
    private static Block reference(SequentialBlock model, String cell, int stateRows, DataType type) {
        return type == DataType.FLOAT64
                ? TestModels.withZeroStates(model, 1, cell.equals("GRU") ? 1 : 2, stateRows, 5)
                : model;
    }

    private static void assertFusedMatchesLoop(Block model, DataType type, GateGradientMethod method,
            ExampleBatch batch, PerExampleLoss loss) {
        assertFusedMatchesLoop(model, model, type, method, batch, loss);
    }

    private static void assertFusedMatchesLoop(Block model, Block reference, DataType type, GateGradientMethod method,
            ExampleBatch batch, PerExampleLoss loss) {
        NDManager manager = engine.manager();
        TestModels.initialize(model, manager, type, batch.inputs().head().getShape(), 42);
        FusedClipper fused = FusedClipper.builder().setModel(model).setLoss(loss).optGateGradientMethod(method).build();
        ClipAssertions.assertMatchesLoop(manager, fused, new LoopClipper(reference, loss), batch,
                ClipAssertions.toleranceFor(type));
    }
}
