package org.dplstm.training.session;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.privacy.Checks;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.StepSums;
import org.dplstm.training.dpsgd.TrainingListener;
import org.dplstm.training.encoders.PublicEncoder;
import org.dplstm.training.provenance.AuditSettings;
import org.dplstm.training.recurrent.CellKind;
import org.dplstm.training.tuning.TuningSettings;

/**
 * What every text-model trainer's builder takes: the DP-SGD configuration (required), the
 * recurrent stack's shape and cell, the text length, sanitization, and the session's output directory, device, listeners
 * and audit trail. A task's builder extends it with its own options.
 *
 * @param <B> the task's builder (setters return it, so calls chain)
 */
public abstract class TextModelTrainerBuilder<B extends TextModelTrainerBuilder<B>> {

    private DpSgdConfig config;
    private CellKind cell = CellKind.LSTM;
    private int embeddingDim;
    private int hiddenSize;
    private int layers = 1;
    private int maxLength;
    private boolean sanitize = true;
    private Path outputDirectory;
    private Device device;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private AuditSettings audit;
    private Path initialRun;
    private PublicEncoder publicEncoder;
    private String settingsJson;
    private StepSums.Factory stepSums;
    private TuningSettings tuning;

    /** The task's default shape and text length. */
    protected TextModelTrainerBuilder(int embeddingDim, int hiddenSize, int maxLength) {
        this.embeddingDim = embeddingDim;
        this.hiddenSize = hiddenSize;
        this.maxLength = maxLength;
    }

    protected abstract B self();

    public B config(DpSgdConfig config) {
        this.config = config;
        return self();
    }

    /** The recurrent layers' cell: {@link CellKind#LSTM} (default) or {@link CellKind#GRU}. */
    public B optCell(CellKind cell) {
        this.cell = Objects.requireNonNull(cell, "cell");
        return self();
    }

    public B optEmbeddingDim(int embeddingDim) {
        this.embeddingDim = embeddingDim;
        return self();
    }

    public B optHiddenSize(int hiddenSize) {
        this.hiddenSize = hiddenSize;
        return self();
    }

    public B optLayers(int layers) {
        this.layers = layers;
        return self();
    }

    /** Tokens kept per text (default: 64 for a classifier, 200 for a character-level language model). */
    public B optMaxLength(int maxLength) {
        this.maxLength = maxLength;
        return self();
    }

    /** Normalise and redact PII before tokenizing (default on). */
    public B optSanitize(boolean sanitize) {
        this.sanitize = sanitize;
        return self();
    }

    /** Where checkpoints, the model, encoder and vocabulary are written. */
    public B optOutputDirectory(Path dir) {
        this.outputDirectory = dir;
        return self();
    }

    public B optDevice(Device device) {
        this.device = device;
        return self();
    }

    public B optListener(TrainingListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return self();
    }

    /**
     * Keep an audit trail: RUN_DIR/audit.jsonl (needs {@link #optOutputDirectory}) and, when the
     * settings name a ledger, a ledger entry per finished private run.
     */
    public B optAudit(AuditSettings audit) {
        this.audit = Objects.requireNonNull(audit, "audit");
        return self();
    }

    /**
     * Start from a finished run's weights instead of random ones (warm start, e.g. from a model
     * trained on public text in the same task). The run must encode text identically and have
     * the same shape; this is checked before anything is written. Its own privacy cost is not
     * counted here: its training data must be public, or be accounted for separately.
     */
    public B optInitialRun(Path runDir) {
        this.initialRun = Objects.requireNonNull(runDir, "runDir");
        return self();
    }

    /**
     * Start the embedding and LSTM from a shipped public encoder (its head starts fresh); it must
     * fit the run's token level and sizes, which is checked before anything is written.
     */
    public B optPublicEncoder(PublicEncoder encoder) {
        this.publicEncoder = Objects.requireNonNull(encoder, "encoder");
        return self();
    }

    /**
     * The caller's settings as JSON, saved in the run directory as {@value RunFiles#SETTINGS} (and
     * hashed into the audit log) once the directory is claimed: e.g. the command line's, which
     * {@code train --resume} rebuilds the run from.
     */
    public B optSettingsFile(String settingsJson) {
        this.settingsJson = Objects.requireNonNull(settingsJson, "settings");
        return self();
    }

    /**
     * Compute each private step's clipped sum elsewhere: on several devices ({@code
     * DeviceSplitSums}) or a Spark cluster ({@code dplstm-spark}). The noise is still added once,
     * here, and the run directory, audit trail and ledger are unchanged. Default: this process.
     */
    public B optStepSums(StepSums.Factory stepSums) {
        this.stepSums = Objects.requireNonNull(stepSums, "stepSums");
        return self();
    }

    /**
     * Private hyperparameter tuning (ARCHITECTURE §4.1): a random number of trials on the grid of
     * {@code tuning}, the best by a noisy validation score kept; needs validation data and the RDP
     * accountant. Default: one run.
     */
    public B optTuning(TuningSettings tuning) {
        this.tuning = Objects.requireNonNull(tuning, "tuning");
        return self();
    }

    public CellKind cell() {
        return cell;
    }

    public int embeddingDim() {
        return embeddingDim;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public int layers() {
        return layers;
    }

    public int maxLength() {
        return maxLength;
    }

    public boolean sanitize() {
        return sanitize;
    }

    /** Checks the shared options (a task's build() adds its own checks). */
    protected void validate() {
        Objects.requireNonNull(config, "config");
        // an audit without an output directory is refused by the session (newSession)
        Checks.atLeast("embedding size", embeddingDim, 1);
        Checks.atLeast("hidden size", hiddenSize, 1);
        Checks.atLeast("layers", layers, 1);
        Checks.atLeast("max length", maxLength, 1);
    }

    /** The session a validated builder's trainer runs in (it owns engine memory: close the trainer). */
    public TrainingSession newSession() {
        return new TrainingSession(config, device, outputDirectory, listeners, audit, initialRun, publicEncoder,
                settingsJson, stepSums, tuning);
    }
}
