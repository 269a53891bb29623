package org.dplstm.training.mechanism.ghost;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One fused forward and backward over a batch (ARCHITECTURE §3): layers run their forward with
 * every parameter a constant, add {@link Probe}s where they need an output gradient, run a
 * {@link ManualStage} where they compute their backward by hand, and record each trainable
 * parameter's uses as {@link UseGradient}s to be read after {@link #backward}. Everything lives in
 * the pass's {@code work} manager.
 */
public final class FusedPass {

    private final NDManager work;
    private final boolean training;
    private final Map<Parameter, NDArray> values = new IdentityHashMap<>();
    private final Map<Parameter, List<Supplier<UseGradient>>> uses = new LinkedHashMap<>();
    private final List<Stage> stages = new ArrayList<>();
    private final ConstantStore constants;
    private int roots; // autograd leaves so far: what a later array can depend on
    private boolean backwardDone;

    /** @param training whether blocks run in training mode (dropout on) */
    public FusedPass(NDManager work, boolean training) {
        this.work = work;
        this.training = training;
        this.constants = new ConstantStore(work, this::value);
    }

    public NDManager work() {
        return work;
    }

    public boolean training() {
        return training;
    }

    /** The parameter's current value as a constant in the pass's manager (no autograd). */
    public NDArray value(Parameter parameter) {
        return values.computeIfAbsent(parameter, p -> {
            NDArray constant = p.getArray().stopGradient();
            constant.attach(work);
            return constant;
        });
    }

    /** A store giving blocks every parameter's {@link #value}. */
    public ParameterStore store() {
        return constants;
    }

    /** A store giving blocks {@code substitutes} for some parameters and {@link #value} for the rest. */
    public ParameterStore store(Map<Parameter, NDArray> substitutes) {
        return new ConstantStore(work, p -> substitutes.containsKey(p) ? substitutes.get(p) : value(p));
    }

    /** Adds a probe to a layer's output; read its gradient after {@link #backward}. */
    public Probe probe(NDArray output) {
        roots++;
        return new Probe(work, output);
    }

    /**
     * {@code value} as a new autograd leaf in the pass's manager (e.g. a parameter broadcast to
     * one copy per example, whose gradient is then per example); read it with {@link #gradientOf}.
     */
    public NDArray leaf(NDArray value) {
        roots++;
        NDArray leaf = value.duplicate();
        leaf.attach(work);
        leaf.setRequiresGradient(true);
        return leaf;
    }

    /**
     * Records one use of {@code parameter} (ignored when it is not trainable); {@code gradient} is
     * called once, after {@link #backward}.
     */
    public void use(Parameter parameter, Supplier<UseGradient> gradient) {
        if (parameter != null && parameter.requiresGradient()) {
            uses.computeIfAbsent(parameter, p -> new ArrayList<>()).add(gradient);
        }
    }

    /**
     * Runs {@code stage} on {@code input} outside autograd; its output is a new autograd leaf, so
     * the graph above ends there and {@link #backward} hands its gradient to the stage.
     */
    public NDArray manual(NDArray input, ManualStage stage) {
        NDArray constant = input.stopGradient();
        constant.attach(work);
        NDArray leaf = stage.forward(constant).stopGradient();
        leaf.attach(work);
        leaf.setRequiresGradient(true);
        // blocks are walked in sequence, so the input depends on the leaves made before it
        stages.add(new Stage(input, leaf, stage, roots > 0));
        roots++;
        return leaf;
    }

    private record Stage(NDArray input, NDArray output, ManualStage stage, boolean inputInGraph) {}

    /**
     * The backward of Σ loss: autograd from {@code objective} down to the topmost manual stage's
     * output, that stage by hand, autograd from its input down to the next stage, and so on.
     * Stages are handled in reverse order of their forward, so each one's output gradient is
     * complete when it runs (blocks are walked in sequence). (DJL cannot tell whether a non-leaf
     * array is in the autograd graph, so the pass counts the leaves it made.)
     */
    public void backward(GradientCollector collector, NDArray objective) {
        if (backwardDone) {
            throw new IllegalStateException("a fused pass runs its backward once");
        }
        backwardDone = true;
        if (roots > 0) {
            collector.backward(objective);
        }
        for (int i = stages.size() - 1; i >= 0; i--) {
            Stage s = stages.get(i);
            boolean needed = s.inputInGraph();
            NDArray inputGradient = s.stage().backward(gradientOf(s.output()), needed);
            if (needed) {
                collector.backward(s.input().mul(inputGradient).sum());
            }
        }
    }

    /** Every trainable parameter's recorded uses, in order of first use (after {@link #backward}). */
    public Map<Parameter, List<UseGradient>> gradients() {
        if (!backwardDone) {
            throw new IllegalStateException("use gradients exist only after the backward");
        }
        Map<Parameter, List<UseGradient>> result = new IdentityHashMap<>();
        uses.forEach((parameter, suppliers) -> result.put(parameter, suppliers.stream().map(Supplier::get).toList()));
        return result;
    }

    /**
     * A leaf's gradient, or zeros of its type when nothing reached it (the engine then answers
     * with float32 zeros whatever the leaf's type).
     */
    public static NDArray gradientOf(NDArray leaf) {
        NDArray gradient = leaf.getGradient();
        if (gradient.getDataType() != leaf.getDataType()) {
            gradient.close();
            return leaf.zerosLike();
        }
        return gradient;
    }
}
