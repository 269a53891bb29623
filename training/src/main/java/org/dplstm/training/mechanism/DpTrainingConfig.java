package org.dplstm.training.mechanism;

import ai.djl.translate.Batchifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.TrainingListener;
import org.dplstm.training.mechanism.loss.PerExampleLoss;
import org.dplstm.training.recurrent.GateGradientMethod;

/**
 * How a {@link DpTrainer} trains a DJL model, in the manner of DJL's {@code TrainingConfig}: the
 * per-example loss, the DP-SGD settings ({@link DpSgdConfig}: the privacy target, δ, sampling,
 * clipping norm, optimizer, epochs), the clipper and the listeners. Immutable; build with
 * {@link #builder()}.
 */
public final class DpTrainingConfig {

    private final PerExampleLoss loss;
    private final DpSgdConfig privacy;
    private final ClipperKind clipper;
    private final GateGradientMethod gateGradientMethod;
    private final Batchifier batchifier;
    private final List<TrainingListener> listeners;

    private DpTrainingConfig(Builder b) {
        this.loss = b.loss;
        this.privacy = b.privacy;
        this.clipper = b.clipper;
        this.gateGradientMethod = b.gateGradientMethod;
        this.batchifier = b.batchifier;
        this.listeners = List.copyOf(b.listeners);
    }

    public static Builder builder() {
        return new Builder();
    }

    public PerExampleLoss loss() {
        return loss;
    }

    public DpSgdConfig privacy() {
        return privacy;
    }

    public ClipperKind clipper() {
        return clipper;
    }

    /** The recurrent layers' gate-gradient method, or null for the device's default. */
    public GateGradientMethod gateGradientMethod() {
        return gateGradientMethod;
    }

    public Batchifier batchifier() {
        return batchifier;
    }

    public List<TrainingListener> listeners() {
        return listeners;
    }

    /** Builder: {@link #setLoss} and {@link #setPrivacy} are required. */
    public static final class Builder {
        private PerExampleLoss loss;
        private DpSgdConfig privacy;
        private ClipperKind clipper = ClipperKind.FUSED;
        private GateGradientMethod gateGradientMethod;
        private Batchifier batchifier = Batchifier.STACK;
        private final List<TrainingListener> listeners = new ArrayList<>();

        private Builder() {}

        public Builder setLoss(PerExampleLoss loss) {
            this.loss = loss;
            return this;
        }

        /** The DP-SGD settings: privacy target or σ (or none), δ, batch, epochs, norm bound, optimizer. */
        public Builder setPrivacy(DpSgdConfig privacy) {
            this.privacy = privacy;
            return this;
        }

        /**
         * {@link ClipperKind#FUSED} (default) refuses a model with blocks it cannot walk;
         * {@link ClipperKind#LOOP} trains any block, one backward per clipping unit.
         */
        public Builder optClipper(ClipperKind clipper) {
            this.clipper = Objects.requireNonNull(clipper, "clipper");
            return this;
        }

        /** How LSTM and GRU blocks get their gate gradients (default: the device's). */
        public Builder optGateGradientMethod(GateGradientMethod method) {
            this.gateGradientMethod = method;
            return this;
        }

        /** How records are stacked into batches (default {@link Batchifier#STACK}). */
        public Builder optBatchifier(Batchifier batchifier) {
            this.batchifier = Objects.requireNonNull(batchifier, "batchifier");
            return this;
        }

        public Builder addTrainingListeners(TrainingListener... listeners) {
            for (TrainingListener listener : listeners) {
                this.listeners.add(Objects.requireNonNull(listener, "listener"));
            }
            return this;
        }

        public DpTrainingConfig build() {
            Objects.requireNonNull(loss, "loss");
            Objects.requireNonNull(privacy, "privacy");
            if (privacy.precondition().isPresent()) {
                // a block model's public text would need its own loss and batches: only the project's language models have one
                throw new IllegalArgumentException("precondition must be off for DpTrainer (public preconditioning is for"
                        + " the project's language models), was " + privacy.precondition().get());
            }
            return new DpTrainingConfig(this);
        }
    }
}
