package org.dplstm.spark;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.dplstm.audit.log.AuditKey;
import org.dplstm.audit.log.DatasetFingerprint;
import org.dplstm.audit.verify.LedgerLookup;
import org.dplstm.audit.verify.LogVerifier;
import org.dplstm.audit.verify.VerificationResult;
import org.dplstm.data.io.ReadOptions;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.synthetic.SupportTickets;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.privacy.accountants.Accountants;
import org.dplstm.privacy.noise.SecureGaussianNoise;
import org.dplstm.privacy.sampling.KeyedPoissonSampler;
import org.dplstm.training.classifier.TextClassifierTrainer;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.DpSgdTrainer;
import org.dplstm.training.dpsgd.EncodedDataset;
import org.dplstm.training.dpsgd.GradientNoise;
import org.dplstm.training.dpsgd.OptimizerKind;
import org.dplstm.training.dpsgd.TrainingRandomness;
import org.dplstm.training.dpsgd.TrainingResult;
import org.dplstm.training.model.LstmClassifier;
import org.dplstm.training.provenance.AuditSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole DP-SGD runs whose steps Spark computes: the noise, the accounting and the audit trail. */
class SparkTrainingTest {

    @TempDir Path dir;

    /** One SGD step (lr 1, no momentum) on Spark; {@code noise} is what the trainer adds to the sum. */
    private static float[] weightsAfterOneStep(EncodedDataset data, DpSgdConfig config, GradientNoise noise) {
        try (NDManager manager = NDManager.newBaseManager();
                LstmClassifier model = LstmClassifier.create(TokenData.classifier(), manager, 5)) {
            DpSgdTrainer.builder().config(config).model(model)
                    .optStepSums(SparkStepSums.builder(TestSpark.session()).optPartitions(2)
                            .optSampler(KeyedPoissonSampler.seededForTesting(9)).build())
                    .optRandomness(new TrainingRandomness((n, q) -> {
                        throw new AssertionError("a cluster draws its own coins");
                    }, noise))
                    .build().fit(data, null, List.of());
            return FlatWeights.of(model.parameters());
        }
    }

    @Test
    void theNoiseIsAddedOnceOnTheDriver() {
        double sigma = 2.0;
        double clip = 0.5;
        double batch = 20;
        EncodedDataset data = TokenData.random(200, 4, false);
        // B = 20 of N = 200, epochs 0.1: one step
        DpSgdConfig config = DpSgdConfig.builder().noiseMultiplier(sigma).optAccountant(AccountantKind.RDP)
                .optExpectedBatchSize(batch).optEpochs(0.1).optMaxGradNorm(clip)
                .optOptimizer(OptimizerKind.SGD).optMomentum(0).optLearningRate(1).build();
        GradientNoise none = (scope, sum, stddev) -> sum.duplicate();
        float[] noiseless = weightsAfterOneStep(data, config, none);
        float[] noisy = weightsAfterOneStep(data, config, GradientNoise.bulk(SecureGaussianNoise.seededForTesting(3)));
        // Same sample, same clipped sum: the difference is the noise over B, N(0, σ²C²/B²) a coordinate.
        double perCoordinate = sigma * clip / batch;
        double statistic = 0;
        for (int i = 0; i < noisy.length; i++) {
            double standardized = (noisy[i] - noiseless[i]) / perCoordinate;
            statistic += standardized * standardized;
        }
        ChiSquaredDistribution chiSquare = new ChiSquaredDistribution(noisy.length);
        // Two-sided at 1e-4 each side; noise added twice would double the statistic's mean (D to 2D).
        assertThat(statistic).isBetween(chiSquare.inverseCumulativeProbability(1e-4),
                chiSquare.inverseCumulativeProbability(1 - 1e-4));
    }

    private static Dataset<Row> rows(List<TextRecord> tickets) {
        StructType schema = new StructType().add("body", DataTypes.StringType).add("topic", DataTypes.StringType)
                .add("customer", DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        for (TextRecord ticket : tickets) {
            rows.add(RowFactory.create(ticket.text(), ticket.label(), ticket.user()));
        }
        return TestSpark.session().createDataFrame(rows, schema);
    }

    private TrainingResult train(List<TextRecord> train, Path out, boolean onSpark) throws Exception {
        DpSgdConfig config = DpSgdConfig.builder().targetEpsilon(4).optDelta(1e-4).optEpochs(2)
                .optExpectedBatchSize(40).optMicroBatchSize(32).build();
        AuditSettings audit = AuditSettings.builder()
                .datasetFingerprint(DatasetFingerprint.ofContents(List.of("tickets".getBytes())))
                .optLedger(dir.resolve("ledger.jsonl")).build();
        TextClassifierTrainer.Builder builder = TextClassifierTrainer.builder().config(config)
                .optEmbeddingDim(8).optHiddenSize(12).optOutputDirectory(out).optAudit(audit);
        if (onSpark) {
            builder.optStepSums(SparkStepSums.on(TestSpark.session()));
        }
        try (TextClassifierTrainer trainer = builder.build()) {
            return trainer.fit(train, null);
        }
    }

    @Test
    void aRunFromADatasetOfRowsSpendsWhatTheSingleMachinePlanSpendsOneReleaseAStep() throws Exception {
        List<TextRecord> tickets = SupportTickets.generate(400, 1);
        ReadOptions columns = ReadOptions.builder().optTextField("body").optLabelField("topic")
                .optUserField("customer").build();
        List<TextRecord> fromRows = SparkRecords.of(rows(tickets), columns, "tickets");
        assertThat(fromRows).extracting(TextRecord::text).containsExactlyElementsOf(
                tickets.stream().map(TextRecord::text).toList());

        TrainingResult spark = train(fromRows, dir.resolve("spark"), true);
        TrainingResult single = train(tickets, dir.resolve("single"), false);

        assertThat(spark.steps()).isEqualTo(spark.plannedSteps()).isEqualTo(single.steps()).isEqualTo(20);
        assertThat(spark.noiseMultiplier()).isEqualTo(single.noiseMultiplier());
        assertThat(spark.epsilon()).isEqualTo(single.epsilon()).isLessThanOrEqualTo(4);
        // one Poisson-subsampled Gaussian release a step, composed afresh as the accountant would
        assertThat(spark.privacyHistory()).containsExactly(
                new PrivacyEvent.PoissonGaussian(40.0 / 400, spark.noiseMultiplier(), 20));
        PrivacyAccountant reference = Accountants.newAccountant(AccountantKind.PLD);
        reference.compose(new PrivacyEvent.PoissonGaussian(0.1, spark.noiseMultiplier(), 20));
        assertThat(spark.epsilon()).isEqualTo(reference.epsilon(1e-4));
        // the run directory and its audit trail are a single machine's
        VerificationResult verified = LogVerifier.verify(dir.resolve("spark").resolve("audit.jsonl"), AuditKey.none(),
                LedgerLookup.none());
        assertThat(verified.status()).isEqualTo(VerificationResult.Status.INTACT);
        assertThat(dir.resolve("spark").toFile().list()).containsExactlyInAnyOrder(
                dir.resolve("single").toFile().list());
    }
}
