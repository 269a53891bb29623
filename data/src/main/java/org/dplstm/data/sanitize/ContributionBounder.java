package org.dplstm.data.sanitize;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Keeps at most {@code k} records per user, a uniformly random subset of each user's records,
 * chosen with reservoir sampling (Vitter 1985, Algorithm R) so records stream through: the n-th
 * record of a user replaces a random kept one with probability k/n. Randomness is from {@link
 * SecureRandom}: which records survive must not be predictable. Memory: at most k records per
 * user. Records come back in the order they were offered.
 *
 * @param <T> the record type
 */
public final class ContributionBounder<T> {
    private final int maxPerUser;
    private final Random random;
    private final Map<String, Reservoir<T>> reservoirs = new HashMap<>();
    private long dropped;

    private record Entry<T>(long order, T item) {}

    private static final class Reservoir<T> {
        final List<Entry<T>> kept = new ArrayList<>();
        long seen;
    }

    private ContributionBounder(int maxPerUser, Random random) {
        if (maxPerUser < 1) {
            throw new IllegalArgumentException("max records per user must be >= 1, was " + maxPerUser);
        }
        this.maxPerUser = maxPerUser;
        this.random = random;
    }

    /** A bounder drawing from {@link SecureRandom}. */
    public static <T> ContributionBounder<T> create(int maxPerUser) {
        return new ContributionBounder<>(maxPerUser, new SecureRandom());
    }

    /** A reproducible bounder for tests only; production code never seeds the choice. */
    public static <T> ContributionBounder<T> seededForTesting(int maxPerUser, long seed) {
        return new ContributionBounder<>(maxPerUser, new Random(seed));
    }

    /** Offers the {@code order}-th record (any increasing number) of {@code user}. */
    public void offer(String user, long order, T item) {
        Reservoir<T> reservoir = reservoirs.computeIfAbsent(user, u -> new Reservoir<>());
        reservoir.seen++;
        if (reservoir.kept.size() < maxPerUser) {
            reservoir.kept.add(new Entry<>(order, item));
            return;
        }
        dropped++;
        long slot = (long) (random.nextDouble() * reservoir.seen);
        if (slot < maxPerUser) {
            reservoir.kept.set((int) slot, new Entry<>(order, item));
        }
    }

    /** How many offered records were (or will be) left out. */
    public long dropped() {
        return dropped;
    }

    /** The kept records of all users, in the order they were offered. */
    public List<T> kept() {
        List<Entry<T>> all = new ArrayList<>();
        for (Reservoir<T> reservoir : reservoirs.values()) {
            all.addAll(reservoir.kept);
        }
        all.sort(Comparator.comparingLong(Entry::order));
        List<T> items = new ArrayList<>(all.size());
        for (Entry<T> entry : all) {
            items.add(entry.item());
        }
        return items;
    }
}
