package org.dplstm.training.dpsgd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.dplstm.privacy.AccountantKind;
import org.junit.jupiter.api.Test;

class DpSgdConfigTest {

    @Test
    void privacyMustBeChosenExactlyOnce() {
        assertThatThrownBy(() -> DpSgdConfig.builder().build())
                .hasMessage("privacy must be chosen: a target epsilon, a noise multiplier, or no privacy");
        assertThatThrownBy(() -> DpSgdConfig.builder().targetEpsilon(3).noiseMultiplier(1).build())
                .hasMessageContaining("not several");
        assertThatThrownBy(() -> DpSgdConfig.builder().noPrivacy().targetEpsilon(3).build())
                .hasMessageContaining("not several");
    }

    @Test
    void invalidValuesAreRejectedWithNameRangeAndValue() {
        assertThatThrownBy(() -> DpSgdConfig.builder().targetEpsilon(3).optDelta(2).build())
                .hasMessage("delta must be in (0, 1), was 2.0");
        assertThatThrownBy(() -> DpSgdConfig.builder().targetEpsilon(-1).build())
                .hasMessageStartingWith("target epsilon must be");
        assertThatThrownBy(() -> DpSgdConfig.builder().noiseMultiplier(1).optMomentum(1).build())
                .hasMessage("momentum must be in [0, 1), was 1.0");
        assertThatThrownBy(() -> DpSgdConfig.builder().noPrivacy().optPrivacyUnit(PrivacyUnit.USER).build())
                .hasMessageContaining("privacy unit user needs a private run");
        assertThatThrownBy(() -> OptimizerKind.parse("rmsprop"))
                .hasMessage("optimizer must be one of sgd|adam, was rmsprop");
    }

    @Test
    void mapRoundTripRebuildsAnEqualConfig() {
        DpSgdConfig config = DpSgdConfig.builder().noiseMultiplier(1.3).optMaxEpsilon(5).optDelta(1e-6)
                .optAccountant(AccountantKind.RDP).optPrivacyUnit(PrivacyUnit.USER).optExpectedBatchSize(64)
                .optEpochs(3.5).optOptimizer(OptimizerKind.SGD).optMomentum(0.5).optSchedule(ScheduleKind.STEP)
                .optStepSchedule(10, 0.3).optWarmUpSteps(4).optNoise(NoiseKind.FAST).optSeed(7).build();
        assertThat(DpSgdConfig.fromMap(config.toMap())).isEqualTo(config);
        assertThat(DpSgdConfig.fromMap(config.toMap()).toMap()).isEqualTo(config.toMap());
    }

    @Test
    void plannerRejectsABatchLargerThanTheDataAndAnEmptyTrainingSet() {
        DpSgdConfig config = DpSgdConfig.builder().noiseMultiplier(1).optExpectedBatchSize(300).build();
        assertThatThrownBy(() -> PrivacyPlanner.plan(config, 200, java.util.List.of()))
                .hasMessage("batch size must be <= the number of training examples (200), was 300");
        assertThatThrownBy(() -> PrivacyPlanner.plan(config, 0, java.util.List.of()))
                .hasMessage("training set must not be empty, had 0 examples");
        DpSgdConfig users = DpSgdConfig.builder().noiseMultiplier(1).optExpectedBatchSize(300)
                .optPrivacyUnit(PrivacyUnit.USER).build();
        assertThatThrownBy(() -> PrivacyPlanner.plan(users, 200, java.util.List.of()))
                .hasMessage("batch size must be <= the number of training users (200), was 300");
        assertThatThrownBy(() -> PrivacyPlanner.plan(users, 0, java.util.List.of()))
                .hasMessage("training set must not be empty, had 0 users");
    }

    @Test
    void automaticBatchIsHalfTheDataUpToTheCapAndSurvivesTheMapRoundTrip() {
        DpSgdConfig config = DpSgdConfig.builder().targetEpsilon(3).build();
        assertThat(config.expectedBatchSize()).isEmpty();
        assertThat(config.epochs()).isEqualTo(40);
        assertThat(config.expectedBatchSizeFor(1)).isEqualTo(1);
        assertThat(config.expectedBatchSizeFor(301)).isEqualTo(150);
        assertThat(config.expectedBatchSizeFor(8192)).isEqualTo(4096);
        assertThat(config.expectedBatchSizeFor(1_000_000)).isEqualTo(4096);
        assertThat(DpSgdConfig.fromMap(config.toMap())).isEqualTo(config);
        assertThat(DpSgdConfig.fromMap(config.toMap()).expectedBatchSize()).isEmpty();

        // The plan samples with q = B/N for the chosen B: 4096 of 12,000 examples, 40 epochs.
        PrivacyPlan plan = PrivacyPlanner.plan(DpSgdConfig.builder().noiseMultiplier(1).build(), 12_000,
                java.util.List.of());
        assertThat(plan.expectedBatchSize()).isEqualTo(4096);
        assertThat(plan.sampleRate()).isEqualTo(4096.0 / 12_000);
        assertThat(plan.plannedSteps()).isEqualTo((long) Math.floor(40 * 12_000 / 4096.0));

        DpSgdConfig given = DpSgdConfig.builder().targetEpsilon(3).optExpectedBatchSize(64).build();
        assertThat(given.expectedBatchSize()).hasValue(64);
        assertThat(given.expectedBatchSizeFor(1_000_000)).isEqualTo(64);
        assertThatThrownBy(() -> DpSgdConfig.builder().optExpectedBatchSize(Double.NaN))
                .hasMessageStartingWith("expected batch size must be");
    }

    @Test
    void everyBuilderSetterReachesItsRecord() {
        DpSgdConfig config = DpSgdConfig.builder().noiseMultiplier(1.3).optMaxEpsilon(5).optDelta(1e-6)
                .optAccountant(AccountantKind.RDP).optPrivacyUnit(PrivacyUnit.USER).optExpectedBatchSize(64)
                .optEpochs(3.5).optMaxGradNorm(0.7).optLearningRate(0.2).optOptimizer(OptimizerKind.SGD)
                .optMomentum(0.5).optSchedule(ScheduleKind.STEP).optWarmUpSteps(4).optStepSchedule(10, 0.3)
                .optMicroBatchSize(8).optNoise(NoiseKind.FAST).optSeed(7).optEmaDecay(0.9)
                .optFreeze(org.dplstm.training.model.FrozenPart.ENCODER).optAdaptiveClipping(0.4).build();
        assertThat(config.privacy()).isEqualTo(new PrivacySettings(PrivacyMode.FIXED_NOISE, null, 1.3, 5.0, 1e-6,
                AccountantKind.RDP, PrivacyUnit.USER));
        assertThat(config.steps()).isEqualTo(new StepSettings(64.0, 3.5, 0.7));
        assertThat(config.optimization()).isEqualTo(
                new OptimizationSettings(0.2, OptimizerKind.SGD, 0.5, ScheduleKind.STEP, 4, 10, 0.3));
        assertThat(config.execution()).isEqualTo(new ExecutionSettings(8, NoiseKind.FAST, 7L));
        assertThat(config.techniques()).isEqualTo(
                new TechniqueSettings(0.9, org.dplstm.training.model.FrozenPart.ENCODER, 0.4, null));
        assertThat(config.targetEpsilon()).hasValue(5);
        assertThat(DpSgdConfig.fromMap(config.toMap())).isEqualTo(config);
        assertThat(config.toBuilder().optLearningRate(0.3).build().optimization().learningRate()).isEqualTo(0.3);
    }

    @Test
    void recordsComposedDirectlyAreCheckedLikeTheBuilder() {
        assertThatThrownBy(() -> new PrivacySettings(PrivacyMode.TARGET_EPSILON, 3.0, 1.0, null, 1e-5,
                AccountantKind.PLD, PrivacyUnit.EXAMPLE)).hasMessageContaining("not several");
        assertThatThrownBy(() -> new OptimizationSettings(0.1, OptimizerKind.ADAM, 1.0, ScheduleKind.CONSTANT, 0, 1,
                0.5)).hasMessage("momentum must be in [0, 1), was 1.0");
        DpSgdConfig noPrivacy = DpSgdConfig.builder().noPrivacy().build();
        assertThatThrownBy(() -> new DpSgdConfig(noPrivacy.privacy(), noPrivacy.steps(), noPrivacy.optimization(),
                noPrivacy.execution(), new TechniqueSettings(0, null, 0.5, null)))
                .hasMessage("adaptive clipping needs a private run (no privacy does not clip)");
    }

    @Test
    void preconditioningNamesAShippedModelsPublicTextAndNeedsAPrivateRun() {
        DpSgdConfig config = DpSgdConfig.builder().targetEpsilon(8).optPrecondition("public:latin-char-lm").build();
        assertThat(config.precondition()).hasValue("public:latin-char-lm");
        assertThat(config.toMap()).containsEntry("precondition", "public:latin-char-lm");
        assertThat(DpSgdConfig.fromMap(config.toMap())).isEqualTo(config);
        // off: no key, so runs written before it existed read the same
        assertThat(DpSgdConfig.builder().targetEpsilon(8).build().toMap()).doesNotContainKey("precondition");
        assertThatThrownBy(() -> DpSgdConfig.builder().targetEpsilon(8).optPrecondition("latin-char-lm").build())
                .hasMessage("precondition must be public:NAME (a shipped model's public text), was latin-char-lm");
        assertThatThrownBy(() -> DpSgdConfig.builder().noPrivacy().optPrecondition("public:latin-char-lm").build())
                .hasMessage("precondition needs a private run (it scales the gradients before clipping, and no"
                        + " privacy does not clip)");
    }

    @Test
    void aDamagedStoredValueIsRefusedWithItsOwnMessage() {
        java.util.Map<String, Object> stored = new java.util.LinkedHashMap<>(
                DpSgdConfig.builder().targetEpsilon(3).build().toMap());
        stored.put("privacy_mode", "bogus");
        assertThatThrownBy(() -> DpSgdConfig.fromMap(stored))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("privacy_mode must be one of target_epsilon|fixed_noise|none, was bogus");
        stored.put("privacy_mode", "target_epsilon");
        stored.put("optimizer", "rmsprop");
        assertThatThrownBy(() -> DpSgdConfig.fromMap(stored)).hasMessage("optimizer must be one of sgd|adam, was rmsprop");
        stored.put("optimizer", "adam");
        stored.put("delta", 2.0);
        assertThatThrownBy(() -> DpSgdConfig.fromMap(stored)).hasMessage("delta must be in (0, 1), was 2.0");
        stored.put("delta", 1e-5);
        stored.remove("warm_up_steps"); // would read as 0 if missing keys were defaulted
        assertThatThrownBy(() -> DpSgdConfig.fromMap(stored)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dp_sgd warm_up_steps must be given, as a value of its type, was missing");
        stored.put("warm_up_steps", null);
        assertThatThrownBy(() -> DpSgdConfig.fromMap(stored))
                .hasMessage("dp_sgd warm_up_steps must be given, as a value of its type, was null");
        stored.put("warm_up_steps", "two");
        assertThatThrownBy(() -> DpSgdConfig.fromMap(stored))
                .hasMessage("dp_sgd warm_up_steps must be given, as a value of its type, was two");
        stored.put("warm_up_steps", 0);
        assertThat(DpSgdConfig.fromMap(stored).warmUpSteps()).isZero();
    }
}
