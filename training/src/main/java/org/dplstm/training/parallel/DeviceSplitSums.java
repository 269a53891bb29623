package org.dplstm.training.parallel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.dplstm.training.dpsgd.ClipBound;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.EncodedDataset;
import org.dplstm.training.dpsgd.EncodedUnits;
import org.dplstm.training.dpsgd.MicroBatchedSums;
import org.dplstm.training.dpsgd.PrivacyPlan;
import org.dplstm.training.dpsgd.SampledSum;
import org.dplstm.training.dpsgd.StepSums;
import org.dplstm.training.dpsgd.UnitSampler;
import org.dplstm.training.model.DifferentiableModel;
import org.dplstm.training.model.LstmModels;
import org.dplstm.training.model.LstmStackModel;
import org.dplstm.training.pergrad.ModelClippers;
import org.dplstm.training.mechanism.clip.Clipper;

/**
 * A step's Poisson sample split across several devices of one host ({@code --gpus}): the trainer's
 * model on the first device and a replica on each other one, refreshed with its weights every
 * step; each device sums the clipped gradients of its share of the sampled units, the sums are
 * added on the first device, and the trainer adds the noise once (ARCHITECTURE §2: the step
 * decomposes). Several replicas on the CPU run the same path (what the tests check).
 */
public final class DeviceSplitSums implements StepSums {

    private final LstmStackModel model;
    private final Clipper clipper;
    private final EncodedUnits units;
    private final MicroBatchedSums.Measure measure;
    private final PrivacyPlan plan;
    private final DpSgdConfig config;
    private final UnitSampler sampler;
    private final List<Replica> replicas = new ArrayList<>();
    private final ExecutorService workers;

    /** One replica's model and its clipper, in a manager of its own on its device. */
    private record Replica(NDManager manager, LstmStackModel model, Clipper clipper) {}

    private DeviceSplitSums(List<Device> devices, DifferentiableModel model, ModelClippers clippers,
            EncodedDataset train, PrivacyPlan plan, DpSgdConfig config, UnitSampler sampler) {
        if (!(model instanceof LstmStackModel stack)) {
            throw new IllegalArgumentException("a split across devices needs an LSTM text model, was "
                    + model.getClass().getSimpleName());
        }
        Device first = stack.manager().getDevice();
        if (!devices.get(0).equals(first)) {
            throw new IllegalArgumentException("the first device must be the model's (" + first + "), was "
                    + devices.get(0));
        }
        this.model = stack;
        this.clipper = clippers.clipperFor(stack);
        this.units = EncodedUnits.of(train, plan.unit());
        this.measure = MicroBatchedSums.measureOf(stack);
        this.plan = plan;
        this.config = config;
        this.sampler = sampler;
        for (Device device : devices.subList(1, devices.size())) {
            NDManager manager = NDManager.newBaseManager(device);
            LstmStackModel replica = LstmModels.create(stack.config(), manager, 0);
            replicas.add(new Replica(manager, replica, clippers.clipperFor(replica)));
        }
        this.workers = Executors.newFixedThreadPool(Math.max(1, replicas.size()), runnable -> {
            Thread thread = new Thread(runnable, "dplstm-device-share");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Splits each step over {@code devices} (at least one; the first must be the trained model's
     * device). A device may repeat: then several replicas share it.
     */
    public static StepSums.Factory over(List<Device> devices) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("devices must not be empty");
        }
        List<Device> copy = List.copyOf(devices);
        return (model, clippers, train, plan, config, sampler) ->
                new DeviceSplitSums(copy, model, clippers, train, plan, config, sampler);
    }

    @Override
    public SampledSum sum(NDManager scope, long step, double clipNorm, boolean measureLoss) {
        ClipBound bound = new ClipBound(clipNorm, config.freeze());
        List<int[]> sampled = MicroBatchedSums.unitsOf(units, sampler.sample(plan.populationSize(), plan.sampleRate()));
        List<List<int[]>> shares = split(sampled, replicas.size() + 1);
        List<Future<SampledSum>> pending = new ArrayList<>();
        for (int r = 0; r < replicas.size(); r++) {
            Replica replica = replicas.get(r);
            LstmModels.copyParameters(model, replica.model());
            List<int[]> share = shares.get(r + 1);
            pending.add(workers.submit(() -> replicaSum(replica, share, bound, scope)));
        }
        SampledSum own = MicroBatchedSums.clipped(clipper, units, scope, shares.get(0), bound,
                config.microBatchSize(), measureLoss ? measure : null);
        NDArray[] sums = own.sums();
        NDArray within = own.unitsWithinBound();
        for (Future<SampledSum> future : pending) {
            SampledSum share = await(future);
            within.addi(share.unitsWithinBound());
            NDArray[] part = share.sums();
            for (int i = 0; i < sums.length; i++) {
                if (part[i] == null) {
                    continue;
                }
                if (sums[i] == null) {
                    sums[i] = part[i];
                } else {
                    sums[i].addi(part[i]);
                }
            }
        }
        return new SampledSum(sums, own.local(), within);
    }

    /**
     * A replica's clipped sum and count of units within the bound, copied to the first device into
     * {@code target} (null entries: nothing sampled).
     */
    private SampledSum replicaSum(Replica replica, List<int[]> share, ClipBound bound, NDManager target) {
        try (NDManager scope = replica.manager().newSubManager()) {
            MicroBatchedSums.lendParameters(replica.model(), scope);
            SampledSum sum = MicroBatchedSums.clipped(replica.clipper(), units, scope, share, bound,
                    config.microBatchSize(), null);
            NDArray[] sums = sum.sums();
            NDArray[] moved = new NDArray[sums.length];
            for (int i = 0; i < sums.length; i++) {
                if (sums[i] != null) {
                    moved[i] = moved(sums[i], target);
                }
            }
            return new SampledSum(moved, sum.local(), moved(sum.unitsWithinBound(), target));
        }
    }

    private static NDArray moved(NDArray array, NDManager target) {
        NDArray copy = array.toDevice(target.getDevice(), true);
        copy.attach(target);
        return copy;
    }

    private static SampledSum await(Future<SampledSum> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a device computed its share", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("a device failed to compute its share", e.getCause());
        }
    }

    /** {@code parts} contiguous shares of nearly equal unit counts. */
    static List<List<int[]>> split(List<int[]> units, int parts) {
        List<List<int[]>> shares = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            shares.add(units.subList(units.size() * p / parts, units.size() * (p + 1) / parts));
        }
        return shares;
    }

    @Override
    public void close() {
        workers.shutdownNow();
        for (Replica replica : replicas) {
            replica.model().close();
            replica.manager().close();
        }
    }
}
