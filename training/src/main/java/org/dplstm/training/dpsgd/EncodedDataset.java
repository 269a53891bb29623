package org.dplstm.training.dpsgd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Examples as the training loop sees them: each example's token ids (at least one; 0 is padding
 * and never appears inside an example), its class label in [0, numClasses), and optionally the id
 * of the user it belongs to (user-level DP). Arrays are copied in, so the dataset is immutable.
 */
public final class EncodedDataset {

    private final int[][] tokens;
    private final int[] labels;
    private final int[] users;
    private final int numClasses;
    private int[][] examplesByUser;

    private EncodedDataset(int[][] tokens, int[] labels, int[] users, int numClasses) {
        this.tokens = tokens;
        this.labels = labels;
        this.users = users;
        this.numClasses = numClasses;
    }

    /** Examples without user ids (example-level privacy only). */
    public static EncodedDataset of(int[][] tokens, int[] labels, int numClasses) {
        return of(tokens, labels, null, numClasses);
    }

    /** Examples with a user id each ({@code users} may be null: no user ids). */
    public static EncodedDataset of(int[][] tokens, int[] labels, int[] users, int numClasses) {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(labels, "labels");
        if (numClasses < 1) {
            throw new IllegalArgumentException("number of classes must be >= 1, was " + numClasses);
        }
        if (labels.length != tokens.length) {
            throw new IllegalArgumentException(
                    "labels must have one entry per example (" + tokens.length + "), had " + labels.length);
        }
        if (users != null && users.length != tokens.length) {
            throw new IllegalArgumentException(
                    "users must have one entry per example (" + tokens.length + "), had " + users.length);
        }
        int[][] copied = new int[tokens.length][];
        for (int i = 0; i < tokens.length; i++) {
            int[] example = tokens[i];
            if (example == null || example.length == 0) {
                throw new IllegalArgumentException("example " + i + " must have at least one token");
            }
            for (int id : example) {
                if (id < 1) {
                    throw new IllegalArgumentException(
                            "token ids must be >= 1 (0 is padding), example " + i + " had " + id);
                }
            }
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException(
                        "label must be in [0, " + numClasses + "), example " + i + " had " + labels[i]);
            }
            copied[i] = example.clone();
        }
        return new EncodedDataset(copied, labels.clone(), users == null ? null : users.clone(), numClasses);
    }

    public int size() {
        return tokens.length;
    }

    public int numClasses() {
        return numClasses;
    }

    public boolean hasUsers() {
        return users != null;
    }

    /** The token ids of example {@code index} (not copied: do not modify). */
    int[] tokensOf(int index) {
        return tokens[index];
    }

    /** The token ids of example {@code index}, copied (e.g. to ship the example to a cluster). */
    public int[] tokensAt(int index) {
        return tokens[index].clone();
    }

    public int labelOf(int index) {
        return labels[index];
    }

    /** The most tokens any example has (a batch's padded length is at most this). */
    public int longestExample() {
        int longest = 0;
        for (int[] example : tokens) {
            longest = Math.max(longest, example.length);
        }
        return longest;
    }

    public int maxTokenId() {
        int max = 0;
        for (int[] example : tokens) {
            for (int id : example) {
                max = Math.max(max, id);
            }
        }
        return max;
    }

    /** The examples of each distinct user, users in order of first appearance. */
    public synchronized int[][] examplesByUser() {
        if (users == null) {
            throw new IllegalStateException("the dataset has no user ids");
        }
        if (examplesByUser == null) {
            Map<Integer, List<Integer>> byUser = new LinkedHashMap<>();
            for (int i = 0; i < users.length; i++) {
                byUser.computeIfAbsent(users[i], u -> new ArrayList<>()).add(i);
            }
            examplesByUser =
                    byUser.values().stream()
                            .map(list -> list.stream().mapToInt(Integer::intValue).toArray())
                            .toArray(int[][]::new);
        }
        return examplesByUser;
    }

    /** Number of distinct users. */
    public int userCount() {
        return examplesByUser().length;
    }

    /** The number of sampling units of a privacy unit: examples, or distinct users. */
    public int unitCount(PrivacyUnit unit) {
        return unit == PrivacyUnit.USER ? userCount() : size();
    }

    /** Labels, copied. */
    public int[] labels() {
        return labels.clone();
    }

    /** The distinct labels present, sorted. */
    public int[] distinctLabels() {
        return Arrays.stream(labels).distinct().sorted().toArray();
    }
}
