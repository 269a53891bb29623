package org.dplstm.training.session;

import java.io.IOException;
import java.nio.file.Path;

/** A task's encoder as a run directory keeps it: a resume and a loaded model read it back. */
public interface RunEncoder {

    /** Writes the encoder and its vocabulary to {@code dir}. */
    void save(Path dir) throws IOException;
}
