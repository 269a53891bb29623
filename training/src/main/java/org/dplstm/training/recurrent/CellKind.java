package org.dplstm.training.recurrent;

import java.util.Locale;

/** The recurrent cell of a text model: an LSTM (gates i, f, g, o) or a GRU (gates r, z, n), as torch defines them. */
public enum CellKind {
    LSTM(4),
    GRU(3);

    private final int gates;

    CellKind(int gates) {
        this.gates = gates;
    }

    /** Gates per hidden unit: the rows of W_ih and W_hh are gates × H. */
    public int gates() {
        return gates;
    }

    /** The command line's name: {@code lstm} or {@code gru}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #id()} (any case). */
    public static CellKind parse(String text) {
        for (CellKind cell : values()) {
            if (cell.id().equalsIgnoreCase(text)) {
                return cell;
            }
        }
        throw new IllegalArgumentException("cell must be one of [lstm, gru], was " + text);
    }

    @Override
    public String toString() {
        return id();
    }
}
