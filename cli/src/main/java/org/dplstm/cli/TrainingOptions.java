package org.dplstm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.dplstm.data.files.FileIdentity;
import org.dplstm.data.io.ParquetInput;
import org.dplstm.data.io.ReadOptions;
import org.dplstm.data.io.TextRecord;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.training.classifier.ClassifierTokenLevel;
import org.dplstm.training.classifier.TextEncoder;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.NoiseKind;
import org.dplstm.training.dpsgd.OptimizerKind;
import org.dplstm.training.dpsgd.PrivacyUnit;
import org.dplstm.training.dpsgd.ScheduleKind;
import org.dplstm.training.dpsgd.TechniqueSettings;
import org.dplstm.training.encoders.PublicEncoder;
import org.dplstm.training.languagemodel.PlainTexts;
import org.dplstm.training.languagemodel.TokenLevel;
import org.dplstm.training.model.AttentionScore;
import org.dplstm.training.model.FrozenPart;
import org.dplstm.training.model.ModelKind;
import org.dplstm.training.model.ModelShape;
import org.dplstm.training.model.ModelTask;
import org.dplstm.training.model.Pooling;
import org.dplstm.training.recurrent.CellKind;
import org.dplstm.training.seq2seq.Seq2SeqTrainer;
import picocli.CommandLine.Option;

/**
 * The training options {@code train} and {@code audit privacy} share (a picocli mixin): data
 * files and fields, the privacy choice, optimisation, model shape, vocabulary and device. Each
 * command adds its own {@code --out} (and {@code train} its {@code --resume}).
 */
final class TrainingOptions {

    /**
     * The weights' moving average is on by default for language models: it lowered perplexity with
     * and without privacy on two language-model sets (README, "Accuracy at small ε"); on classifiers
     * and on the reply model it was mixed (one run far better, others worse), so they leave it off.
     */
    static final double DEFAULT_LANGUAGE_MODEL_EMA = 0.99;
    /** The shipped model whose public text preconditions a private character-level language model by default. */
    static final String DEFAULT_PRECONDITION = "latin-char-lm";

    /** A character-level classifier's default --max-length: most short texts whole. */
    static final int CHAR_MAX_LENGTH = 256;

    /** The n-gram model's default learning rate: the one its README figures were measured with. */
    static final double NGRAM_LEARNING_RATE = 0.03;
    /** Hash buckets of a word vocabulary when --vocab-size is not given. */
    static final int DEFAULT_VOCAB_SIZE = 4096;
    /** The fields records are read from when their options are not given. */
    static final String TEXT_FIELD = "text";
    static final String LABEL_FIELD = "label";
    static final String SOURCE_FIELD = "source";
    static final String TARGET_FIELD = "target";

    @Option(names = "--train", paramLabel = "FILE",
            description = "Training data (.csv, .tsv or .jsonl; for --task lm also a .txt file or a folder of them, one text a line;"
                    + " for --task seq2seq pairs with a source and a target field).")
    Path train;

    @Option(names = "--valid", paramLabel = "FILE", description = "Validation data (optional).")
    Path valid;

    // The field options have no picocli default, so that one given where it is not read can be refused.
    @Option(names = "--text-field", paramLabel = "NAME",
            description = "Text field of CSV, TSV or JSONL data; not --task seq2seq (default: " + TEXT_FIELD + ").")
    String textField;

    @Option(names = "--label-field", paramLabel = "NAME", description = "--task classify: the label field (default: "
            + LABEL_FIELD + ").")
    String labelField;

    @Option(names = "--user-field", paramLabel = "NAME",
            description = "User id field of CSV, TSV or JSONL data (needed by --privacy-unit user).")
    String userField;

    @Option(names = "--epsilon", paramLabel = "E", description = "Target epsilon: the noise is calibrated so the whole run spends at most E.")
    Double epsilon;

    @Option(names = "--noise-multiplier", paramLabel = "S", description = "Fixed noise multiplier sigma instead of a target epsilon.")
    Double noiseMultiplier;

    @Option(names = "--delta", paramLabel = "D", defaultValue = "1e-5", description = "Delta, well below 1/N (default: ${DEFAULT-VALUE}).")
    double delta;

    @Option(names = "--no-privacy", description = "Train the identical model without clipping or noise (a baseline; no guarantee).")
    boolean noPrivacy;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Epochs (default: 40; 10 for --task lm; " + (int) Seq2SeqTrainer.DEFAULT_EPOCHS
                    + " for --task seq2seq).")
    Double epochs;

    @Option(names = "--batch-size", paramLabel = "B",
            description = "Expected batch size: each example is sampled with probability B/N (default: min("
                    + DpSgdConfig.AUTOMATIC_BATCH_CAP + ", N/2): DP-SGD learns more from large batches; 1024 for --task lm; "
                    + (int) Seq2SeqTrainer.DEFAULT_BATCH_SIZE + " for --task seq2seq).")
    Double batchSize;

    @Option(names = "--max-grad-norm", paramLabel = "C", defaultValue = "1.0", description = "Per-example clipping norm (default: ${DEFAULT-VALUE}).")
    double maxGradNorm;

    @Option(names = "--lr", paramLabel = "X",
            description = "Learning rate (default: " + NGRAM_LEARNING_RATE + " for the n-gram classifier, 0.05 for"
                    + " --model lstm and --task lm; for --task seq2seq " + Seq2SeqTrainer.DEFAULT_LEARNING_RATE
                    + ", or " + Seq2SeqTrainer.DEFAULT_PUBLIC_START_LEARNING_RATE + " from the shipped public:en-de-char).")
    Double learningRate;

    @Option(names = "--clip", paramLabel = "fixed|adaptive",
            description = "fixed: clip every per-example gradient at --max-grad-norm; adaptive: start there and follow"
                    + " the --clip-quantile of the norms, from a noised count whose share of the noise is accounted"
                    + " (Andrew et al. 2021) (default: fixed).")
    String clip;

    @Option(names = "--clip-quantile", paramLabel = "Q",
            description = "The quantile of per-example norms adaptive clipping follows, in (0, 1) (default: 0.5).")
    Double clipQuantile;

    @Option(names = "--ema", paramLabel = "DECAY",
            description = "Evaluate and save an exponential moving average of the weights with this decay in (0, 1)"
                    + " (post-processing: no privacy cost); 0 is off (default: " + DEFAULT_LANGUAGE_MODEL_EMA
                    + " for --task lm, 0 for classifiers and seq2seq).")
    Double ema;

    @Option(names = "--precondition", paramLabel = "public:NAME|none",
            description = "Scale each gradient coordinate before clipping by 1/(r + mean r), r its root mean square"
                    + " over the gradients of a shipped model's public text (AdaDPS, Li et al. 2022: public data, no"
                    + " privacy cost; for a language model in the fused step, plus 256 public examples' gradients"
                    + " every 25 steps), or none (default: public:" + DEFAULT_PRECONDITION
                    + " for a private character-level --task lm in one process, none otherwise, and with --gpus or"
                    + " --spark-master).")
    String precondition;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam", description = "sgd (momentum 0.9) or adam (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--schedule", paramLabel = "NAME", defaultValue = "constant", description = "constant, cosine or step (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--warm-up", paramLabel = "STEPS", defaultValue = "0", description = "Linear learning-rate warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmUp;

    @Option(names = "--model", paramLabel = "lstm|ngram",
            description = "Classifiers: ngram (one linear layer, without a bias, over the text's hashed character 2- to 4-grams, the"
                    + " first --max-length of them, default " + TextEncoder.NGRAM_MAX_LENGTH + "; lr default "
                    + NGRAM_LEARNING_RATE + ") or lstm (an embedding and recurrent layers over the --token-level"
                    + " tokens). Default: ngram, measured more accurate at epsilon 3 on the README's real-text sets;"
                    + " lstm when an option of the recurrent model is given (--token-level, --tokenizer, --vocab, --vocab-size,"
                    + " --max-length, --embedding, --hidden, --layers, --bidirectional, --pooling, --cell, --init,"
                    + " --freeze, --tune, --precondition), with --gpus or --spark-master, and when the labels name"
                    + " languages with fewer than " + ClassifierDefaults.FEW_UNITS_PER_LABEL + " training records"
                    + " (users, under --privacy-unit user) per label (the public language-ID encoder's output layer).")
    String model;

    @Option(names = "--cell", paramLabel = "lstm|gru", defaultValue = "lstm",
            description = "The recurrent layers' cell: lstm or gru (3 gates instead of 4: fewer parameters, a faster step;"
                    + " lstm only for --task seq2seq) (default: ${DEFAULT-VALUE}).")
    String cell;

    @Option(names = "--embedding", paramLabel = "E",
            description = "Embedding size (default: 16; " + Seq2SeqTrainer.DEFAULT_EMBEDDING + " for --task seq2seq).")
    Integer embedding;

    @Option(names = "--hidden", paramLabel = "H",
            description = "Hidden size of each recurrent layer (default: 32; " + Seq2SeqTrainer.DEFAULT_HIDDEN
                    + " for --task seq2seq, per encoder direction: the decoder has H x directions units).")
    Integer hidden;

    @Option(names = "--layers", paramLabel = "N", defaultValue = "1", description = "Stacked recurrent layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--bidirectional", description = "Add a reverse direction to every recurrent layer.")
    boolean bidirectional;

    @Option(names = "--pooling", paramLabel = "last|mean",
            description = "A classifier's features: the recurrent state at the last token, or the mean of the states over"
                    + " all tokens (default: mean for a word-level classifier and one that trains a public encoder's"
                    + " LSTM, last otherwise).")
    String pooling;

    @Option(names = "--max-length", paramLabel = "T",
            description = "Tokens kept per text (default: 64; " + TextEncoder.NGRAM_MAX_LENGTH + " n-grams for --model ngram;"
                    + " without --model it asks for the recurrent classifier;"
                    + " 200 for --task lm; " + Seq2SeqTrainer.DEFAULT_MAX_LENGTH
                    + " per side for --task seq2seq).")
    Integer maxLength;

    @Option(names = "--vocab", paramLabel = "hash|dp|FILE",
            description = "hash (feature hashing, leaks nothing), dp (DP selection, cost in the budget) or a public word-list file (default: hash).")
    String vocab;

    /** No default value on the option: a given --vocab-size, even of the default size, asks for words. */
    @Option(names = "--vocab-size", paramLabel = "N",
            description = "Hash buckets for --vocab hash (default: " + DEFAULT_VOCAB_SIZE + "); asks for words.")
    Integer vocabSize;

    @Option(names = "--privacy-unit", paramLabel = "UNIT", defaultValue = "example", description = "example or user (default: ${DEFAULT-VALUE}).")
    String privacyUnit;

    @Option(names = "--accountant", paramLabel = "NAME",
            description = "pld (tight) or rdp (default: pld; rdp with --tune, whose bound is an RDP bound).")
    String accountant;

    @Option(names = "--tune", paramLabel = "K",
            description = "Private hyperparameter tuning (classifiers): a random number of trials, K on average"
                    + " (Papernot & Steinke 2022), each at a random learning rate and clipping norm (--lr and"
                    + " --max-grad-norm times 0.5, 1 or 2); the trial with the best noisy validation score is kept."
                    + " Needs --valid; the noise is calibrated so the whole search meets --epsilon under RDP.")
    Double tune;

    @Option(names = "--noise", paramLabel = "KIND", defaultValue = "secure",
            description = "secure (AES-CTR from SecureRandom) or fast (engine generator reseeded securely each step) (default: ${DEFAULT-VALUE}).")
    String noise;

    @Option(names = "--micro-batch", paramLabel = "M", defaultValue = "128", description = "Examples on the engine at once; memory only (default: ${DEFAULT-VALUE}).")
    int microBatch;

    @Option(names = "--no-sanitize", description = "Skip normalisation and PII redaction (only for already-sanitized data).")
    boolean noSanitize;

    @Option(names = "--seed", paramLabel = "S", description = "Seeds initialisation and data order only, never noise or sampling.")
    Long seed;

    @Option(names = "--init", paramLabel = "RUN_DIR|public:NAME|none",
            description = "Start from this finished run's weights (a warm start, e.g. from a model trained on public text"
                    + " in the same task; it must use the same labels, sizes and vocabulary, and for a classifier be"
                    + " recurrent: --model lstm; its own privacy cost is not counted: train it on public data), or from a shipped public model (see its model card):"
                    + " a classifier from public:multilingual-char's embedding and LSTM (the head starts fresh), a"
                    + " language model from all of public:latin-char-lm, an encoder-decoder from all of"
                    + " public:en-de-char; or none (random weights). Default: public:multilingual-char for a"
                    + " --token-level char classifier, public:latin-char-lm for a character --task lm and"
                    + " public:en-de-char for a character --task seq2seq where the sizes fit (and, for seq2seq,"
                    + " general attention and an untied output layer), else none.")
    String init;

    @Option(names = "--freeze", paramLabel = "embedding|encoder",
            description = "After a warm start (--init), leave the embedding (embedding) or the embedding and the LSTM"
                    + " (encoder: train the output layer only) as they start: no noise and no clipping budget is spent"
                    + " on them (default for a classifier started from a public encoder: encoder with fewer than "
                    + ClassifierDefaults.FEW_UNITS_PER_LABEL + " training records (users under --privacy-unit user) per"
                    + " label, else embedding;"
                    + " otherwise none).")
    String freeze;

    @Option(names = "--device", paramLabel = "cpu|gpu", description = "Default: a GPU when DJL sees one, else the CPU.")
    String device;

    @Option(names = "--task", paramLabel = "TASK", defaultValue = "classify",
            description = "classify, lm (next-token language model; see ./dplstm generate) or seq2seq (attentional"
                    + " encoder-decoder on text pairs; see ./dplstm translate) (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--source-field", paramLabel = "NAME",
            description = "--task seq2seq: the source text field (default: " + SOURCE_FIELD + ").")
    String sourceField;

    @Option(names = "--target-field", paramLabel = "NAME",
            description = "--task seq2seq: the target text field (default: " + TARGET_FIELD + ").")
    String targetField;

    @Option(names = "--source-token-level", paramLabel = "char|word",
            description = "--task seq2seq: the source's tokens: char (fixed public character set with Latin-1 letters) or"
                    + " word (needs --source-vocab) (default: char).")
    String sourceTokenLevel;

    @Option(names = "--target-token-level", paramLabel = "char|word",
            description = "--task seq2seq: the target's tokens, as --source-token-level (word needs --target-vocab)"
                    + " (default: char).")
    String targetTokenLevel;

    @Option(names = "--source-vocab", paramLabel = "dp|FILE",
            description = "--task seq2seq --source-token-level word: DP selection (cost in the budget) or a public word list.")
    String sourceVocab;

    @Option(names = "--target-vocab", paramLabel = "dp|FILE",
            description = "--task seq2seq --target-token-level word: DP selection (cost in the budget) or a public word list.")
    String targetVocab;

    @Option(names = "--attention", paramLabel = "dot|general",
            description = "--task seq2seq: Luong's attention score, h.s or h.W_a s (default: general).")
    String attention;

    @Option(names = "--token-level", paramLabel = "char|word|subword",
            description = "char: characters from a fixed public set plus hashed buckets for every other script (no "
                    + "vocabulary needed, nothing spent); word: lower-cased words (--vocab); subword: the pieces of a public "
                    + "--tokenizer file (classifiers only). --task lm: char or word (needs --vocab dp or a public "
                    + "word-list file); for classifiers it asks for the recurrent model (--model lstm) (default: char for --task lm;"
                    + " for recurrent classifiers word, or char when every label names a"
                    + " language (en, de_AT, German, Deutsch ...) and no option asks for words or other sizes; a character"
                    + " classifier starts from the public encoder multilingual-char (see --freeze), and a character"
                    + " language model from the public language model latin-char-lm, unless --init says otherwise or"
                    + " the sizes do not fit).")
    String tokenLevel;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "A public tokenizer.json (BPE or WordPiece) for --token-level subword, e.g. the project's "
                    + "training/src/main/resources/org/dplstm/tokenizers/*.json built by tools/tokenizer/train_tokenizer.py.")
    Path tokenizer;

    @Option(names = "--tie-embedding",
            description = "--task lm: the output layer reuses the embedding table (needs --embedding = --hidden);"
                    + " --task seq2seq: the target embedding (needs --embedding = the decoder's size).")
    boolean tieEmbedding;

    /**
     * Public preconditioning's public text: --precondition as given (bad input where it cannot
     * apply; with split step sums {@link Execution#checkSupports} refuses it), else the shipped
     * language model's for a private character-level language model whose steps run in one process
     * (measured in the README: lower DP perplexity on every text tried), else none.
     */
    private String preconditionSource(boolean languageModel, TokenLevel level, boolean noPrivacy, boolean oneProcess) {
        if (precondition == null) {
            return preconditionsByDefault(languageModel, level, noPrivacy) && oneProcess
                    ? TechniqueSettings.PUBLIC_PREFIX + DEFAULT_PRECONDITION : null;
        }
        if (precondition.equalsIgnoreCase("none")) {
            return null;
        }
        List<String> shipped = PublicEncoder.withPublicText().stream().map(n -> TechniqueSettings.PUBLIC_PREFIX + n)
                .toList();
        if (!shipped.contains(precondition)) {
            throw new IllegalArgumentException("--precondition must be one of " + shipped + " (a shipped model's public"
                    + " text) or none, was " + precondition);
        }
        if (!languageModel) {
            throw new IllegalArgumentException("--precondition applies to --task lm (its public text has no labels or"
                    + " pairs), was " + precondition);
        }
        if (noPrivacy) {
            throw new IllegalArgumentException("--precondition needs a private run (it scales gradients before clipping,"
                    + " and --no-privacy does not clip), was " + precondition);
        }
        return precondition;
    }

    /**
     * Whether the validation data is (part of) the training data: the same file (links followed,
     * hard links too), or a file inside a training folder ({@code --task lm} reads every file there).
     */
    private static boolean validIsTraining(Path train, Path valid) {
        try {
            return FileIdentity.same(train, valid) || (Files.isDirectory(train) && FileIdentity.inside(valid, train));
        } catch (IOException e) {
            return false; // unreadable: the reader names it
        }
    }

    private boolean preconditionsByDefault(boolean languageModel, TokenLevel level, boolean noPrivacy) {
        return precondition == null && languageModel && level == TokenLevel.CHAR && !noPrivacy;
    }

    /** A language model's notes, and one saying the default public preconditioning is off where the sums are split. */
    private List<String> withPreconditionNote(List<String> notes, boolean languageModel, TokenLevel level,
            boolean noPrivacy, boolean oneProcess) {
        if (oneProcess || !preconditionsByDefault(languageModel, level, noPrivacy)) {
            return notes;
        }
        List<String> more = new ArrayList<>(notes);
        more.add("public preconditioning (the default of private character-level language models) is off with --gpus"
                + " and --spark-master: it runs in one process");
        return more;
    }

    /**
     * Checks the options and resolves them into the job's settings; creates nothing. The command
     * checks its own --train/--out presence (and the run directory) first. For a classifier these
     * are provisional, enough to read the data: its defaults and the checks that depend on them are
     * final only from {@link #settings(List, boolean, boolean)}.
     */
    TrainingJob.Settings settings() {
        return settings(TrainingSetFacts.UNREAD, true, true);
    }

    /** As {@link #settings(List, boolean, boolean)} with the steps computed in this process alone. */
    TrainingJob.Settings settings(List<TextRecord> trainRecords, boolean canFreeze) {
        return settings(trainRecords, canFreeze, true);
    }

    /**
     * As {@link #settings()}, once the training set is read: a classifier's defaults may read its
     * label names and number of privacy units (public, {@link TrainingSetFacts}), never its texts; {@code canFreeze}
     * false when the steps run where every parameter is trained (a cluster); {@code oneProcess} false
     * when the steps' sums are split over devices or a cluster (no public preconditioning by default).
     */
    TrainingJob.Settings settings(List<TextRecord> trainRecords, boolean canFreeze, boolean oneProcess) {
        return settings(TrainingSetFacts.of(trainRecords, PrivacyUnit.parse(privacyUnit)), canFreeze, oneProcess);
    }

    private TrainingJob.Settings settings(TrainingSetFacts trainingSet, boolean canFreeze, boolean oneProcess) {
        if (train == null) {
            throw new IllegalArgumentException("--train is required");
        }
        if (valid != null && validIsTraining(train, valid)) {
            String where = Files.isDirectory(train) ? " is inside the --train folder " : " is the --train file ";
            throw new IllegalArgumentException("--valid " + valid + where + train + ": validation"
                    + " figures measured on the training set say nothing of held-out text; give a separate file, or no --valid");
        }
        int choices = (epsilon != null ? 1 : 0) + (noiseMultiplier != null ? 1 : 0) + (noPrivacy ? 1 : 0);
        if (choices != 1) {
            throw new IllegalArgumentException("give exactly one of --epsilon, --noise-multiplier and --no-privacy, gave "
                    + (choices == 0 ? "none" : choices));
        }
        ModelTask modelTask = ModelTask.parse(task);
        CellKind recurrentCell = CellKind.parse(cell);
        boolean languageModel = modelTask == ModelTask.LANGUAGE_MODEL;
        boolean encoderDecoder = modelTask == ModelTask.SEQ2SEQ;
        boolean classifier = modelTask == ModelTask.CLASSIFY;
        checkFieldsApply(modelTask);
        TrainingJob.PairSettings pairs = encoderDecoder ? pairSettings() : null;
        if (!encoderDecoder && (sourceTokenLevel != null || targetTokenLevel != null || sourceVocab != null
                || targetVocab != null || attention != null)) {
            throw new IllegalArgumentException("--source-token-level, --target-token-level, --source-vocab, --target-vocab"
                    + " and --attention need --task seq2seq, task was " + task);
        }
        if (encoderDecoder && tokenLevel != null) {
            throw new IllegalArgumentException("--token-level does not apply to --task seq2seq (use --source-token-level"
                    + " and --target-token-level)");
        }
        if (encoderDecoder && recurrentCell != CellKind.LSTM) {
            throw new IllegalArgumentException("--cell must be lstm for --task seq2seq (the encoder-decoder is an"
                    + " LSTM's), was " + cell);
        }
        if (encoderDecoder && freeze != null) {
            throw new IllegalArgumentException("--freeze is for classifiers and --task lm, not --task seq2seq");
        }
        if (classifier && tieEmbedding) {
            throw new IllegalArgumentException("--tie-embedding needs --task lm or seq2seq, task was " + task);
        }
        List<String> recurrentOptions = recurrentOptionsGiven();
        ClassifierDefaults.ModelChoice modelChoice = classifier
                ? ClassifierDefaults.model(model, recurrentOptions, trainingSet, canFreeze && oneProcess)
                : new ClassifierDefaults.ModelChoice(model == null ? ModelKind.RECURRENT : ModelKind.parse(model), List.of());
        boolean ngram = modelChoice.kind() == ModelKind.NGRAM;
        if (ngram && model != null) {
            refuseWhatNgramIgnores(modelTask, recurrentOptions);
        }
        TokenLevel level = languageModel ? TokenLevel.parse(tokenLevel == null ? "char" : tokenLevel) : null;
        if (!classifier && tokenizer != null) {
            throw new IllegalArgumentException("--tokenizer is for classifiers (--token-level subword), not --task "
                    + modelTask.id());
        }
        ClassifierDefaults.Choice choice = ngram ? ClassifierDefaults.ngram(modelChoice.notes())
                : classifier ? ClassifierDefaults.resolve(tokenLevel, init, freeze, recurrentCell,
                embedding, hidden, layers, bidirectional, pooling, trainingSet, canFreeze,
                vocab != null || vocabSize != null || maxLength != null).withModelNotes(modelChoice)
                : null;
        ClassifierTokenLevel classifierLevel = classifier ? choice.tokenLevel() : null;
        String wordVocabularyOption = vocab != null ? "--vocab" : vocabSize != null ? "--vocab-size" : null;
        if (classifierLevel != null && classifierLevel != ClassifierTokenLevel.WORD && wordVocabularyOption != null) {
            throw new IllegalArgumentException(wordVocabularyOption + " applies to --token-level word, not "
                    + classifierLevel.id() + " (characters come from a fixed public set, subwords from --tokenizer)");
        }
        DefaultStart.Choice taskStart = languageModel ? LanguageModelDefaults.resolve(init, level, recurrentCell,
                embedding != null ? embedding : ClassifierDefaults.EMBEDDING,
                hidden != null ? hidden : ClassifierDefaults.HIDDEN, layers)
                : encoderDecoder ? Seq2SeqDefaults.resolve(init, pairs,
                        embedding != null ? embedding : Seq2SeqTrainer.DEFAULT_EMBEDDING,
                        hidden != null ? hidden : Seq2SeqTrainer.DEFAULT_HIDDEN, layers, bidirectional, tieEmbedding)
                : null;
        InitChoice start = classifier ? choice.init() : taskStart.init();
        FrozenPart frozen = classifier ? choice.freeze() : freeze == null ? FrozenPart.NONE : FrozenPart.parse(freeze);
        // before the data is read a classifier's labels may still choose its start (ClassifierDefaults)
        boolean startAwaitsLabels = classifier && trainingSet.unread() && tokenLevel == null && init == null;
        if (frozen != FrozenPart.NONE && start.runDir() == null && start.publicEncoder() == null && !startAwaitsLabels) {
            // when a default start was skipped, say why: the note would only be printed after this check
            List<String> skipped = classifier ? choice.notes() : taskStart.notes();
            throw new IllegalArgumentException("--freeze " + frozen.id() + " needs a warm start: --init RUN_DIR or"
                    + " --init public:NAME (random weights would stay random)"
                    + (skipped.isEmpty() ? "" : "; " + String.join("; ", skipped)));
        }
        if (frozen != FrozenPart.NONE && tieEmbedding) {
            throw new IllegalArgumentException("--freeze must be none with --tie-embedding (the embedding is the output"
                    + " layer), was " + frozen.id());
        }
        checkTune(modelTask);
        Techniques techniques = classifier
                ? new Techniques(classifierLevel, tokenizer, start.publicEncoder(), choice.notes(), tune)
                : Techniques.publicStart(start.publicEncoder(), withPreconditionNote(taskStart.notes(),
                        languageModel, level, noPrivacy, oneProcess));
        if (languageModel && bidirectional) {
            throw new IllegalArgumentException("--bidirectional must be off for --task lm (it would see the next token)");
        }
        Pooling readout = classifier ? choice.pooling() : pooling == null ? Pooling.LAST : Pooling.parse(pooling);
        if (languageModel && readout != Pooling.LAST) {
            throw new IllegalArgumentException("--pooling must be last for --task lm (it predicts at every position), was "
                    + readout);
        }
        String vocabChoice = vocab == null || vocab.equalsIgnoreCase("hash") || vocab.equalsIgnoreCase("dp")
                ? (vocab == null ? "hash" : vocab.toLowerCase(Locale.ROOT)) : Path.of(vocab).toAbsolutePath().toString();
        if (encoderDecoder) {
            if (vocab != null) {
                throw new IllegalArgumentException("--vocab does not apply to --task seq2seq: give --source-vocab and"
                        + " --target-vocab with word-level sides");
            }
            if (readout != Pooling.LAST) {
                throw new IllegalArgumentException("--pooling does not apply to --task seq2seq, was " + readout);
            }
            vocabChoice = null;
        } else if (level == TokenLevel.CHAR) {
            if (vocab != null) {
                throw new IllegalArgumentException("--vocab must not be given with --token-level char"
                        + " (characters come from a fixed public set); use --token-level word for a word vocabulary");
            }
            vocabChoice = null;
        } else if (level == TokenLevel.WORD && vocabChoice.equals("hash")) {
            throw new IllegalArgumentException("--vocab must be dp or a public word-list file for --task lm"
                    + " --token-level word (hashed ids cannot be turned back into words), was hash");
        }
        if (vocabSize != null && !"hash".equals(vocabChoice)) {
            throw new IllegalArgumentException("--vocab-size sets the buckets of --vocab hash (word-level classifiers);"
                    + (vocabChoice == null ? " this run has no word vocabulary" : " this run has --vocab " + vocab));
        }
        PrivacyUnit unit = PrivacyUnit.parse(privacyUnit);
        if (unit == PrivacyUnit.USER && userField == null) {
            throw new IllegalArgumentException("--privacy-unit user needs --user-field (which field holds the user id)");
        }
        DpSgdConfig.Builder config = DpSgdConfig.builder();
        if (epsilon != null) {
            config.targetEpsilon(epsilon);
        } else if (noiseMultiplier != null) {
            config.noiseMultiplier(noiseMultiplier);
        } else {
            config.noPrivacy();
        }
        config.optDelta(delta).optEpochs(epochs != null ? epochs
                : languageModel ? 10 : encoderDecoder ? Seq2SeqTrainer.DEFAULT_EPOCHS : 40);
        if (batchSize != null || languageModel || encoderDecoder) {
            config.optExpectedBatchSize(batchSize != null ? batchSize
                    : encoderDecoder ? Seq2SeqTrainer.DEFAULT_BATCH_SIZE : 1024);
        }
        config.optMaxGradNorm(maxGradNorm)
                .optLearningRate(learningRate != null ? learningRate
                        : encoderDecoder ? (start.publicEncoder() != null ? Seq2SeqTrainer.DEFAULT_PUBLIC_START_LEARNING_RATE
                                : Seq2SeqTrainer.DEFAULT_LEARNING_RATE) : ngram ? NGRAM_LEARNING_RATE : 0.05).optOptimizer(OptimizerKind.parse(optimizer))
                .optSchedule(ScheduleKind.parse(schedule)).optWarmUpSteps(warmUp)
                .optAccountant(AccountantKind.parse(accountant != null ? accountant : tune != null ? "rdp" : "pld"))
                .optPrivacyUnit(unit)
                .optNoise(NoiseKind.parse(noise)).optMicroBatchSize(microBatch);
        if (seed != null) {
            config.optSeed(seed);
        }
        if (ema != null || languageModel) {
            config.optEmaDecay(ema != null ? ema : DEFAULT_LANGUAGE_MODEL_EMA);
        }
        config.optFreeze(frozen);
        config.optPrecondition(preconditionSource(languageModel, level, noPrivacy, oneProcess));
        String clipMode = clip == null ? "fixed" : clip.toLowerCase(Locale.ROOT);
        if (!clipMode.equals("fixed") && !clipMode.equals("adaptive")) {
            throw new IllegalArgumentException("--clip must be one of fixed|adaptive, was " + clip);
        }
        if (clipQuantile != null && !clipMode.equals("adaptive")) {
            throw new IllegalArgumentException("--clip-quantile needs --clip adaptive");
        }
        if (clipMode.equals("adaptive")) {
            if (noPrivacy) {
                throw new IllegalArgumentException("--clip adaptive needs a private run (--no-privacy does not clip)");
            }
            config.optAdaptiveClipping(clipQuantile == null ? 0.5 : clipQuantile);
        }
        TrainingJob.resolveDevice(device);
        int length = maxLength != null ? maxLength : languageModel ? 200
                : encoderDecoder ? Seq2SeqTrainer.DEFAULT_MAX_LENGTH
                : classifierLevel == ClassifierTokenLevel.CHAR ? CHAR_MAX_LENGTH
                : classifierLevel == ClassifierTokenLevel.NGRAM ? TextEncoder.NGRAM_MAX_LENGTH : 64;
        int embeddingSize = embedding != null ? embedding
                : encoderDecoder ? Seq2SeqTrainer.DEFAULT_EMBEDDING : ClassifierDefaults.EMBEDDING;
        int hiddenSize = hidden != null ? hidden : encoderDecoder ? Seq2SeqTrainer.DEFAULT_HIDDEN : ClassifierDefaults.HIDDEN;
        DpSgdConfig dpSgd = config.build();
        ModelShape shape = new ModelShape(recurrentCell, embeddingSize, hiddenSize, layers, bidirectional, readout,
                tieEmbedding);
        return new TrainingJob.Settings(new TrainingJob.Inputs(train, valid, textFieldName(), labelFieldName(), userField), modelTask,
                shape, new TrainingJob.TextSettings(length, vocabChoice,
                        vocabSize != null ? vocabSize : DEFAULT_VOCAB_SIZE, !noSanitize, level), dpSgd, device,
                start.runDir(), techniques, pairs);
    }

    /**
     * {@code --model ngram}: one linear layer over hashed character n-grams, trained in this
     * process from zero weights. Every option that shapes another model, or a technique it does not
     * have (a warm start, frozen parts, tuning, preconditioning), is refused (bad input, one line),
     * not silently ignored.
     */
    private void refuseWhatNgramIgnores(ModelTask modelTask, List<String> recurrentOptions) {
        if (modelTask != ModelTask.CLASSIFY) {
            throw new IllegalArgumentException("--model ngram is for classifiers (--task classify), task was "
                    + modelTask.id());
        }
        List<String> given = new ArrayList<>(recurrentOptions);
        given.remove("--max-length"); // the n-gram model's length
        if ("none".equals(init)) {
            given.remove("--init"); // zero weights are the n-gram model's start
        }
        if (!given.isEmpty()) {
            throw new IllegalArgumentException(given.get(0) + " does not apply to --model ngram (one linear"
                    + " layer over hashed character n-grams, trained from zero); leave it out or use --model lstm");
        }
    }

    /**
     * The options given that shape the recurrent classifier or ask for a technique the n-gram model
     * lacks; any of them keeps a classifier whose --model is left out recurrent.
     */
    private List<String> recurrentOptionsGiven() {
        Map<String, Boolean> given = new LinkedHashMap<>();
        given.put("--token-level", tokenLevel != null);
        given.put("--tokenizer", tokenizer != null);
        given.put("--vocab", vocab != null);
        given.put("--vocab-size", vocabSize != null);
        given.put("--embedding", embedding != null);
        given.put("--hidden", hidden != null);
        given.put("--layers", layers != 1);
        given.put("--bidirectional", bidirectional);
        given.put("--pooling", pooling != null);
        given.put("--cell", !cell.equalsIgnoreCase("lstm"));
        given.put("--init", init != null);
        given.put("--freeze", freeze != null);
        given.put("--tune", tune != null);
        given.put("--precondition", precondition != null && !precondition.equalsIgnoreCase("none"));
        given.put("--max-length", maxLength != null);
        return given.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(ArrayList::new));
    }

    /**
     * {@code --tune K}: the mean number of trials (>= 1) of a private classifier run with
     * validation data; its bound is RDP's, for example-level units, with nothing spent before it
     * and the clip norm a grid choice (ARCHITECTURE §4.1).
     */
    private void checkTune(ModelTask modelTask) {
        if (tune == null) {
            return;
        }
        if (!(tune >= 1) || tune.isInfinite()) {
            throw new IllegalArgumentException("--tune must be a number >= 1 (the mean number of trials), was " + tune);
        }
        if (modelTask != ModelTask.CLASSIFY) {
            throw new IllegalArgumentException("--tune is for classifiers (--task classify), not --task " + modelTask.id());
        }
        if (noPrivacy) {
            throw new IllegalArgumentException("--tune needs a private run (--epsilon or --noise-multiplier): its"
                    + " selection is what the privacy analysis covers; tune a --no-privacy baseline yourself");
        }
        if (valid == null) {
            throw new IllegalArgumentException("--tune needs --valid: each trial is scored on the validation set");
        }
        if (accountant != null && !accountant.equalsIgnoreCase("rdp")) {
            throw new IllegalArgumentException("--accountant must be rdp with --tune (tuning's bound is an RDP"
                    + " bound, Papernot & Steinke 2022), was " + accountant);
        }
        if ("dp".equalsIgnoreCase(vocab)) {
            throw new IllegalArgumentException("--tune cannot be combined with --vocab dp (tuning's bound needs"
                    + " nothing spent on the data before it): use --vocab hash or a public word list");
        }
        if (!"example".equalsIgnoreCase(privacyUnit)) {
            throw new IllegalArgumentException("--tune needs --privacy-unit example (the selection score counts"
                    + " validation examples), was " + privacyUnit);
        }
        if (clip != null && clip.equalsIgnoreCase("adaptive")) {
            throw new IllegalArgumentException("--tune needs --clip fixed (the clipping norm is one of the tuned"
                    + " hyperparameters)");
        }
    }

    /** An encoder-decoder's pair settings: each side's token level and word vocabulary, the attention score. */
    private TrainingJob.PairSettings pairSettings() {
        TokenLevel sourceLevel = TokenLevel.parse(sourceTokenLevel == null ? "char" : sourceTokenLevel);
        TokenLevel targetLevel = TokenLevel.parse(targetTokenLevel == null ? "char" : targetTokenLevel);
        String score = AttentionScore.parse(attention == null ? "general" : attention).id();
        return new TrainingJob.PairSettings(sourceField != null ? sourceField : SOURCE_FIELD,
                targetField != null ? targetField : TARGET_FIELD, sourceLevel, targetLevel,
                sideVocabulary("--source-vocab", sourceLevel, sourceVocab, "--source-token-level"),
                sideVocabulary("--target-vocab", targetLevel, targetVocab, "--target-token-level"), score);
    }

    /** dp, an absolute word-list path, or null at character level; bad input otherwise. */
    private static String sideVocabulary(String option, TokenLevel level, String value, String levelOption) {
        if (level == TokenLevel.CHAR) {
            if (value != null) {
                throw new IllegalArgumentException(option + " must not be given with " + levelOption + " char"
                        + " (characters come from a fixed public set)");
            }
            return null;
        }
        if (value == null || value.equalsIgnoreCase("hash")) {
            throw new IllegalArgumentException(option + " must be dp or a public word-list file with " + levelOption
                    + " word (hashed ids cannot be turned back into words), was " + (value == null ? "none" : value));
        }
        return value.equalsIgnoreCase("dp") ? "dp" : Path.of(value).toAbsolutePath().toString();
    }

    ReadOptions readOptions() {
        return readOptions(textFieldName(), labelFieldName(), userField);
    }

    /** A language model's plain text (a .txt file or a folder of them), not a Parquet folder: no fields. */
    private static boolean isPlainText(Path input) {
        return PlainTexts.isPlainText(input) && !ParquetInput.isParquet(input);
    }

    private String textFieldName() {
        return textField != null ? textField : TEXT_FIELD;
    }

    private String labelFieldName() {
        return labelField != null ? labelField : LABEL_FIELD;
    }

    /**
     * Refuses a field option the run would not read (bad input, not silently ignored): a label
     * field outside a classifier, a pair's fields outside an encoder-decoder, a text field for pairs,
     * and a text or user field for a language model's plain text (one text a line, no fields).
     */
    private void checkFieldsApply(ModelTask modelTask) {
        if (labelField != null && modelTask != ModelTask.CLASSIFY) {
            throw new IllegalArgumentException("--label-field needs --task classify (a language model and an"
                    + " encoder-decoder read no labels), task was " + modelTask.id());
        }
        for (String[] pairField : new String[][] {{"--source-field", sourceField}, {"--target-field", targetField}}) {
            if (pairField[1] != null && modelTask != ModelTask.SEQ2SEQ) {
                throw new IllegalArgumentException(pairField[0] + " needs --task seq2seq (a field of a text pair), task"
                        + " was " + modelTask.id());
            }
        }
        if (textField != null && modelTask == ModelTask.SEQ2SEQ) {
            throw new IllegalArgumentException("--text-field does not apply to --task seq2seq: a pair's texts are its"
                    + " --source-field and --target-field");
        }
        boolean plainText = modelTask == ModelTask.LANGUAGE_MODEL && isPlainText(train)
                && (valid == null || isPlainText(valid));
        for (String[] field : new String[][] {{"--text-field", textField}, {"--user-field", userField}}) {
            if (field[1] != null && plainText) {
                throw new IllegalArgumentException(field[0] + " applies to CSV, TSV and JSONL data; --train " + train
                        + " is plain text (one text a line, no fields)");
            }
        }
    }

    static ReadOptions readOptions(String text, String label, String user) {
        return ReadOptions.builder().optTextField(text).optLabelField(label).optUserField(user).build();
    }
}
