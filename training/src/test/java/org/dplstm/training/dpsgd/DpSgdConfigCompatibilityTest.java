package org.dplstm.training.dpsgd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.training.model.FrozenPart;
import org.junit.jupiter.api.Test;

/**
 * The "dp_sgd" object of run.json, checkpoints and the audit log is a stored format: run
 * directories written by earlier builds must resume and their audit logs must verify. The
 * fixtures under org/dplstm/compat were written by {@code ./dplstm train} before the
 * configuration became records (the command lines are in each test); each parses to the config
 * the builder makes from the same flags, and writes back the same keys, order and values.
 */
class DpSgdConfigCompatibilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** --noise-multiplier 1.1 --max-grad-norm 0.8 --clip adaptive --clip-quantile 0.6 --ema 0.99 --epochs 1
     * --batch-size 32 --lr 0.02 --optimizer sgd --schedule step --warm-up 2 --micro-batch 16 --noise fast
     * --seed 7 --accountant rdp --delta 1e-6 --privacy-unit user */
    private static final DpSgdConfig EVERY_OPTION = DpSgdConfig.builder().noiseMultiplier(1.1).optMaxGradNorm(0.8)
            .optAdaptiveClipping(0.6).optEmaDecay(0.99).optEpochs(1).optExpectedBatchSize(32).optLearningRate(0.02)
            .optOptimizer(OptimizerKind.SGD).optSchedule(ScheduleKind.STEP).optWarmUpSteps(2).optMicroBatchSize(16)
            .optNoise(NoiseKind.FAST).optSeed(7).optAccountant(AccountantKind.RDP).optDelta(1e-6)
            .optPrivacyUnit(PrivacyUnit.USER).build();

    @Test
    void aRunWithEveryOptionReadsAndWritesAsBefore() throws IOException {
        assertReadsAndWritesAsBefore("run1.json", EVERY_OPTION);
    }

    @Test
    void theAuditLogsRunStartReadsAndWritesAsBefore() throws IOException {
        JsonNode dpSgd = fixture("run1-audit-run-start.json").get("config").get("dp_sgd");
        assertReadsAndWritesAsBefore(dpSgd, EVERY_OPTION);
    }

    @Test
    void aWarmStartAtATargetEpsilonWithAFrozenEmbeddingReadsAndWritesAsBefore() throws IOException {
        // --epsilon 5 --init RUN --freeze embedding --epochs 2 (automatic batch size)
        assertReadsAndWritesAsBefore("run2.json",
                DpSgdConfig.builder().targetEpsilon(5).optFreeze(FrozenPart.EMBEDDING).optEpochs(2).build());
    }

    @Test
    void aRunWithoutPrivacyReadsAndWritesAsBefore() throws IOException {
        // --no-privacy --epochs 1 --batch-size 50
        assertReadsAndWritesAsBefore("run3.json",
                DpSgdConfig.builder().noPrivacy().optEpochs(1).optExpectedBatchSize(50).build());
    }

    @Test
    void aLanguageModelRunReadsAndWritesAsBefore() throws IOException {
        // --task lm --epsilon 8 --epochs 1 --batch-size 50
        assertReadsAndWritesAsBefore("run4.json",
                DpSgdConfig.builder().targetEpsilon(8).optEpochs(1).optExpectedBatchSize(50).build());
    }

    private static void assertReadsAndWritesAsBefore(String runJson, DpSgdConfig expected) throws IOException {
        assertReadsAndWritesAsBefore(fixture(runJson).get("dp_sgd"), expected);
    }

    @SuppressWarnings("unchecked")
    private static void assertReadsAndWritesAsBefore(JsonNode stored, DpSgdConfig expected) throws IOException {
        DpSgdConfig read = DpSgdConfig.fromMap(JSON.treeToValue(stored, Map.class));
        assertThat(read).isEqualTo(expected);
        // the same keys in the same order with the same values, as text
        assertThat(JSON.writeValueAsString(read.toMap())).isEqualTo(JSON.writeValueAsString(stored));
        assertThat(JSON.writeValueAsString(expected.toMap())).isEqualTo(JSON.writeValueAsString(stored));
    }

    static JsonNode fixture(String name) throws IOException {
        try (InputStream in = DpSgdConfigCompatibilityTest.class.getResourceAsStream("/org/dplstm/compat/" + name)) {
            return JSON.readTree(in);
        }
    }
}
