package org.dplstm.training.recurrent;

import java.util.Locale;

/** The recurrent cell of a text model: DJL's LSTM or GRU. */
public enum CellKind {
    LSTM,
    GRU;

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
