package org.dplstm.training.pergrad;

import static org.dplstm.training.pergrad.GradientAssertions.assertClose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.dplstm.training.mechanism.clip.ClippedGradients;
import org.dplstm.training.recurrent.GateGradientMethod;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.FrozenPart;
import org.dplstm.training.model.LstmClassifier;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.model.TestBatches;
import org.dplstm.training.model.TestManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Frozen parameters are left out of every example's norm and get zero sums. Reference: each
 * example's own unclipped gradient from the engine's autograd (the loop, one example a batch),
 * clipped by hand on the trained parameters' norm only.
 */
@Tag("engine")
class FrozenGradientsTest {

    @RegisterExtension
    static final TestManager engine = TestManager.perClass();

    private static void assertFrozenMatchesHandClippedLoop(FrozenPart frozen) {
        ModelConfig config = ModelConfig.builder().vocabSize(12).embeddingDim(3).hiddenSize(4).numClasses(3)
                .optDataType(DataType.FLOAT64).build();
        long[] lengths = {6, 1, 4, 6, 2};
        double clip = 0.05;
        try (NDManager scope = engine.manager().newSubManager();
                LstmClassifier model = LstmClassifier.create(config, scope, 7)) {
            Batch batch = TestBatches.random(scope, config, lengths, 6, null, 11);
            List<String> names = model.parameterNames();
            NDArray[] expected = new NDArray[names.size()];
            double[] norms = new double[lengths.length];
            for (int i = 0; i < lengths.length; i++) {
                NDIndex row = new NDIndex("{}:{}", i, i + 1);
                Batch one = new Batch(batch.tokens().get(row), batch.lengths().get(row), batch.labels().get(row), null);
                NDList gradient = new PerExampleLoopGradients(model).clippedGradientSum(scope, one, 1e12).sums();
                double squared = 0;
                for (int p = 0; p < names.size(); p++) {
                    if (!frozen.freezes(names.get(p))) {
                        squared += gradient.get(p).pow(2).sum().getDouble();
                    }
                }
                norms[i] = Math.sqrt(squared);
                double factor = Math.min(1, clip / norms[i]);
                for (int p = 0; p < names.size(); p++) {
                    NDArray part = frozen.freezes(names.get(p)) ? gradient.get(p).zerosLike() : gradient.get(p).mul(factor);
                    expected[p] = expected[p] == null ? part : expected[p].add(part);
                }
            }
            for (GateGradientMethod method : GateGradientMethod.values()) {
                ClippedGradients fused = new FusedPerExampleGradients(model, method)
                        .clippedGradientSum(scope, batch, clip, null, frozen);
                assertClose(method + " norms", fused.norms(), scope.create(norms));
                GradientAssertions.assertSumsClose(method, model, fused.sums(), new NDList(expected));
            }
            NDList plain = model.gradientSum(scope, batch);
            model.setFrozen(frozen);
            try {
                // a frozen encoder's features come from the model's cache: the first call fills it, the second reads it
                for (int call = 1; call <= 2; call++) {
                    ClippedGradients cached = new FusedPerExampleGradients(model).clippedGradientSum(scope, batch, clip,
                            null, frozen);
                    assertClose("norms, call " + call, cached.norms(), scope.create(norms));
                    for (int p = 0; p < names.size(); p++) {
                        assertClose(names.get(p) + ", call " + call, cached.sums().get(p), expected[p]);
                    }
                }
                NDList nonPrivate = model.gradientSum(scope, batch);
                for (int p = 0; p < names.size(); p++) {
                    NDArray want = frozen == FrozenPart.ENCODER && frozen.freezes(names.get(p))
                            ? plain.get(p).zerosLike() : plain.get(p);
                    assertClose("non-private " + names.get(p), nonPrivate.get(p), want);
                }
            } finally {
                model.setFrozen(FrozenPart.NONE);
            }
        }
    }

    @Test
    void frozenEmbeddingIsLeftOutOfNormsAndSums() {
        assertFrozenMatchesHandClippedLoop(FrozenPart.EMBEDDING);
    }

    @Test
    void frozenEncoderLeavesOnlyTheHead() {
        assertFrozenMatchesHandClippedLoop(FrozenPart.ENCODER);
    }

    @Test
    void nothingFrozenIsTheUsualClipping() {
        assertFrozenMatchesHandClippedLoop(FrozenPart.NONE);
    }
}
