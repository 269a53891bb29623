import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.dataset.ArrayDataset;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.dplstm.data.io.ReadOptions;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.vocab.CharNgramBag;
import org.dplstm.training.classifier.LabeledTexts;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.OptimizerKind;
import org.dplstm.training.dpsgd.TrainingResult;
import org.dplstm.training.mechanism.DpTrainer;
import org.dplstm.training.mechanism.DpTrainingConfig;
import org.dplstm.training.mechanism.loss.PerExampleLoss;
import org.dplstm.training.session.TrainingSanitizer;

/**
 * A linear classifier over hashed character n-grams ({@code CharNgramBag}), without a bias as the
 * command line's n-gram model (runs before 2026-12-08 afternoon had one), trained by the library's
 * DpTrainer (Poisson sampling, exact clipping, secure noise, PLD), on the sets of tools/realdata:
 * README, "Accuracy at small ε". The classifier defaults' plan: 40 epochs of expected batch
 * min(4096, N/2), Adam, clip norm 1.
 *
 * Usage (after mvn package): java -cp "cli/target/dplstm.jar:cli/target/lib/*"
 *     tools/benchmarks/NgramLinearTable.java DATA_DIR EPSILON|np LR BUCKETS SET...
 */
public class NgramLinearTable {
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        String privacy = args[1];
        double lr = Double.parseDouble(args[2]);
        CharNgramBag bag = CharNgramBag.builder().optBuckets(Integer.parseInt(args[3])).build();
        TrainingSanitizer sanitizer = new TrainingSanitizer(true);
        ReadOptions fields = ReadOptions.builder().optTextField("text").optLabelField("label").build();
        for (String set : List.of(args).subList(4, args.length)) {
            List<TextRecord> train = LabeledTexts.read(data.resolve(set + "-train.csv"), fields);
            List<TextRecord> valid = LabeledTexts.read(data.resolve(set + "-valid.csv"), fields);
            List<String> labels = train.stream().map(TextRecord::label).distinct().sorted().toList();
            long start = System.nanoTime();
            try (NDManager manager = NDManager.newBaseManager(); Model model = Model.newInstance("ngram-linear")) {
                ArrayDataset trainSet = dataset(manager, train, labels, bag, sanitizer);
                ArrayDataset validSet = dataset(manager, valid, labels, bag, sanitizer);
                DpSgdConfig.Builder plan = privacy.equals("np") ? DpSgdConfig.builder().noPrivacy()
                        : DpSgdConfig.builder().targetEpsilon(Double.parseDouble(privacy));
                plan.optDelta(1e-5).optEpochs(40).optExpectedBatchSize(Math.min(4096, train.size() / 2))
                        .optOptimizer(OptimizerKind.ADAM).optLearningRate(lr).optMaxGradNorm(1);
                DpTrainingConfig config = DpTrainingConfig.builder().setLoss(PerExampleLoss.softmaxCrossEntropy())
                        .setPrivacy(plan.build()).build();
                model.setBlock(new SequentialBlock().add(Linear.builder().setUnits(labels.size()).optBias(false).build()));
                try (DpTrainer trainer = DpTrainer.newTrainer(model, config)) {
                    trainer.initialize(new Shape(1, bag.size()));
                    TrainingResult result = trainer.fit(trainSet, validSet);
                    System.out.printf(Locale.ROOT, "%s privacy=%s lr=%s buckets=%d accuracy %.4f epsilon %.3f (%.0f s)%n",
                            set, privacy, args[2], bag.size(), result.validAccuracy(), result.epsilon(),
                            (System.nanoTime() - start) / 1e9);
                }
            }
        }
    }

    static ArrayDataset dataset(NDManager manager, List<TextRecord> records, List<String> labels, CharNgramBag bag,
            TrainingSanitizer sanitizer) {
        float[] features = new float[Math.multiplyExact(records.size(), bag.size())];
        long[] classes = new long[records.size()];
        for (int r = 0; r < records.size(); r++) {
            System.arraycopy(bag.vector(sanitizer.clean(records.get(r).text())), 0, features, r * bag.size(), bag.size());
            classes[r] = labels.indexOf(records.get(r).label());
            if (classes[r] < 0) {
                throw new IllegalArgumentException("label " + records.get(r).label() + " is not in the training set");
            }
        }
        return new ArrayDataset.Builder().setData(manager.create(features, new Shape(records.size(), bag.size())))
                .optLabels(manager.create(classes)).setSampling(1, false).build();
    }
}
