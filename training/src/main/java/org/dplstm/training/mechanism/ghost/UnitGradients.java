package org.dplstm.training.mechanism.ghost;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.dplstm.training.model.GradientCollectors;

/**
 * Per-unit squared gradient norms and clipped sums from the uses a {@link FusedPass} recorded
 * (ARCHITECTURE §3.3-3.6). A parameter's per-unit gradient is the sum of its uses', so its squared
 * norm is Σ_{i,j} ⟨G_i, G_j⟩ over pairs of uses, cross terms included (tied weights). Inner
 * products of outer-product forms are taken in ghost form, Σ_{t,s} (l_t·l'_s)(r_t·r'_s), never
 * materialising per-unit weight gradients, except for a single use whose materialised gradients
 * cost less than its Grams. Gram matrices are cached, so weights fed by the same output gradient
 * (an LSTM's W_ih, W_hh and biases) share one. Call outside any gradient collector.
 */
public final class UnitGradients {

    private final NDManager work;
    private final ClippingUnits units;
    private final long largestUnit;
    private final Map<Parameter, List<UseGradient>> uses;
    private final Map<PositionRows, NDArray> grouped = new IdentityHashMap<>();
    private final Map<PositionRows, Map<PositionRows, NDArray>> grams = new IdentityHashMap<>();
    private final Map<PositionRows, NDArray> scaled = new IdentityHashMap<>();
    private final Map<List<Object>, NDArray> rowFactors = new java.util.HashMap<>();

    public UnitGradients(NDManager work, ClippingUnits units, Map<Parameter, List<UseGradient>> uses) {
        this.work = work;
        this.units = units;
        this.uses = uses;
        long largest = 0;
        for (int u = 0; u < units.count(); u++) {
            largest = Math.max(largest, units.members(u).length);
        }
        this.largestUnit = largest;
    }

    /** Σ over {@code parameters} of each unit's squared gradient norm, (U) of {@code type}. */
    public NDArray squaredNorms(List<Parameter> parameters, DataType type) {
        NDArray total = work.zeros(new Shape(units.count()), type);
        for (Parameter parameter : parameters) {
            List<UseGradient> parameterUses = uses.getOrDefault(parameter, List.of());
            for (int i = 0; i < parameterUses.size(); i++) {
                total.addi(selfInner(parameterUses.get(i)));
                for (int j = i + 1; j < parameterUses.size(); j++) {
                    total.addi(inner(parameterUses.get(i), parameterUses.get(j)).muli(2));
                }
            }
        }
        return total;
    }

    /**
     * Σ_b c_b g_b for each parameter, its example-level gradients g_b scaled by their units'
     * factors {@code exampleFactors} (B): (c⊙l)ᵀr as one matmul over all rows (§3.5), or zeros
     * for a parameter that had no use. Opens a gradient collector for embeddings (an index-add).
     */
    public NDList clippedSums(List<Parameter> parameters, NDArray exampleFactors) {
        NDList sums = new NDList(parameters.size());
        for (Parameter parameter : parameters) {
            Shape shape = parameter.getArray().getShape();
            NDArray sum = work.zeros(shape, parameter.getArray().getDataType());
            for (UseGradient use : uses.getOrDefault(parameter, List.of())) {
                sum.addi(clippedSum(use, exampleFactors, shape));
            }
            sums.add(sum);
        }
        return sums;
    }

    private NDArray clippedSum(UseGradient use, NDArray factors, Shape shape) {
        if (use instanceof UseGradient.Outer outer) {
            NDArray sum;
            if (outer.right() == null) {
                sum = outer.left().flat().transpose().matMul(rowFactors(outer.left(), factors)).squeeze(1);
            } else if (outer.left().width() <= outer.right().width()) {
                sum = scaled(outer.left(), factors).transpose().matMul(outer.right().flat());
            } else {
                // scale the narrower side: (c⊙l)ᵀr = lᵀ(c⊙r)
                sum = outer.left().flat().transpose().matMul(scaled(outer.right(), factors));
            }
            return sum.reshape(shape);
        }
        if (use instanceof UseGradient.TableRows table) {
            return indexAdd(table.ids().flat(), scaled(table.right(), factors), shape);
        }
        NDArray perExample = ((UseGradient.PerExample) use).gradients();
        long examples = perExample.getShape().get(0);
        return perExample.reshape(examples, -1).mul(factors.reshape(examples, 1)).sum(new int[] {0}).reshape(shape);
    }

    private NDArray scaled(PositionRows rows, NDArray factors) {
        return scaled.computeIfAbsent(rows, r -> r.scaledFlat(factors));
    }

    /** Each row's factor as a column (B·n, 1), in the rows' order. */
    private NDArray rowFactors(PositionRows rows, NDArray factors) {
        long examples = rows.examples();
        long positions = rows.positions();
        return rowFactors.computeIfAbsent(List.of(rows.isTimeMajor(), positions), key -> {
            NDArray column = rows.isTimeMajor()
                    ? factors.reshape(1, examples).broadcast(positions, examples)
                    : factors.reshape(examples, 1).broadcast(examples, positions);
            return column.reshape(-1, 1);
        });
    }

    /**
     * Rows added into a zero table at their ids, repeated ids accumulating. DJL has no index-add,
     * so the engine's indexing backward does it through a zero-valued leaf of the table's shape.
     */
    private NDArray indexAdd(NDArray ids, NDArray rows, Shape shape) {
        NDArray table = work.zeros(shape, rows.getDataType());
        table.setRequiresGradient(true);
        try (GradientCollector collector = GradientCollectors.exclusive(work)) {
            NDArray looked = table.get(new NDIndex("{}", ids.flatten().toType(DataType.INT64, false)));
            collector.backward(looked.mul(rows).sum());
        }
        return table.getGradient();
    }

    /** ⟨G, G⟩ per unit: ghost form, or materialised when that is cheaper. */
    private NDArray selfInner(UseGradient use) {
        if (use instanceof UseGradient.Outer outer && outer.right() != null && materialisedIsCheaper(outer)) {
            NDArray perUnit = perUnit(materialise(use));
            return perUnit.square().sum(new int[] {1});
        }
        return inner(use, use);
    }

    /** {@link NormForm#materialiseLinear} over a unit's m·n rows (m examples in the largest unit, n positions). */
    private boolean materialisedIsCheaper(UseGradient.Outer outer) {
        return NormForm.materialiseLinear(largestUnit * outer.left().positions(), outer.left().width(),
                outer.right().width());
    }

    /** ⟨G_a, G_b⟩ per unit, (U). */
    private NDArray inner(UseGradient a, UseGradient b) {
        if (a instanceof UseGradient.PerExample || b instanceof UseGradient.PerExample) {
            return perUnit(materialise(a)).mul(perUnit(materialise(b))).sum(new int[] {1});
        }
        if (a instanceof UseGradient.Outer oa && b instanceof UseGradient.Outer ob) {
            if ((oa.right() == null) != (ob.right() == null)) {
                throw new IllegalStateException("a parameter cannot be used both as a weight and as a bias");
            }
            NDArray leftGram = gram(oa.left(), ob.left());
            return oa.right() == null
                    ? leftGram.sum(new int[] {1, 2})
                    : leftGram.mul(gram(oa.right(), ob.right())).sum(new int[] {1, 2});
        }
        if (a instanceof UseGradient.TableRows ta && b instanceof UseGradient.TableRows tb) {
            NDArray ids = grouped(ta.ids());
            NDArray otherIds = grouped(tb.ids());
            NDArray sameRow = ids.eq(otherIds.transpose(0, 2, 1)).toType(ta.right().array().getDataType(), false);
            return sameRow.mul(gram(ta.right(), tb.right())).sum(new int[] {1, 2});
        }
        UseGradient.TableRows table = (UseGradient.TableRows) (a instanceof UseGradient.TableRows ? a : b);
        UseGradient.Outer outer = (UseGradient.Outer) (a instanceof UseGradient.Outer ? a : b);
        if (outer.right() == null) {
            throw new IllegalStateException("a table cannot also be used as a bias");
        }
        // ⟨Σ_t e_{id_t} r_tᵀ, Σ_s l_s r'_sᵀ⟩ = Σ_{t,s} l_s[id_t] (r_t·r'_s): l_s[id_t] by a gather
        NDArray leftByRow = grouped(outer.left()).transpose(0, 2, 1); // (U, V, ns)
        NDArray ids = grouped(table.ids()); // (U, nt, 1)
        Shape picks = new Shape(ids.getShape().get(0), ids.getShape().get(1), leftByRow.getShape().get(2));
        NDArray picked = leftByRow.gather(ids.broadcast(picks), 1); // (U, nt, ns)
        return picked.mul(gram(table.right(), outer.right())).sum(new int[] {1, 2});
    }

    private NDArray grouped(PositionRows rows) {
        return grouped.computeIfAbsent(rows, r -> r.byUnit(units));
    }

    /** (U, na, nb) Gram of two row sets, each unit's rows against its own. */
    private NDArray gram(PositionRows a, PositionRows b) {
        NDArray cached = grams.getOrDefault(a, Map.of()).get(b);
        if (cached == null) {
            NDArray reverse = grams.getOrDefault(b, Map.of()).get(a);
            cached = reverse != null
                    ? reverse.transpose(0, 2, 1)
                    : grouped(a).batchMatMul(grouped(b).transpose(0, 2, 1));
            grams.computeIfAbsent(a, k -> new IdentityHashMap<>()).put(b, cached);
        }
        return cached;
    }

    /** Each example's gradient of this use, (B, P) flattened. */
    private NDArray materialise(UseGradient use) {
        if (use instanceof UseGradient.PerExample perExample) {
            NDArray g = perExample.gradients();
            return g.reshape(g.getShape().get(0), -1);
        }
        if (use instanceof UseGradient.Outer outer) {
            NDArray left = batchMajor(outer.left());
            if (outer.right() == null) {
                return left.sum(new int[] {1});
            }
            NDArray perExample = left.transpose(0, 2, 1).batchMatMul(batchMajor(outer.right()));
            return perExample.reshape(perExample.getShape().get(0), -1);
        }
        UseGradient.TableRows table = (UseGradient.TableRows) use;
        NDArray right = batchMajor(table.right());
        NDArray ids = batchMajor(table.ids()).squeeze(2).toType(DataType.INT64, false);
        NDArray oneHot = ids.oneHot(Math.toIntExact(table.tableRows())).toType(right.getDataType(), false);
        NDArray perExample = oneHot.transpose(0, 2, 1).batchMatMul(right);
        return perExample.reshape(perExample.getShape().get(0), -1);
    }

    private static NDArray batchMajor(PositionRows rows) {
        return rows.isTimeMajor() ? rows.array().transpose(1, 0, 2) : rows.array();
    }

    /** Example-level (B, P) summed within units: (U, P). */
    private NDArray perUnit(NDArray perExample) {
        if (units.perExample()) {
            return perExample;
        }
        long examples = perExample.getShape().get(0);
        return units.regroup(perExample.reshape(examples, 1, -1)).sum(new int[] {1});
    }
}
