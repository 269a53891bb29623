package org.dplstm.cli;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dplstm.training.encoders.PublicEncoder;
import org.dplstm.training.model.ModelFile;
import org.dplstm.training.model.TextModel;

/** Reads the shipped public models' files as a user would, apart from the code that loads them. */
final class ShippedModels {

    private ShippedModels() {}

    /** Copies the jar's model.bin of the shipped model {@code name} into {@code dir}. */
    static Path copy(String name, Path dir) throws IOException {
        Path copy = dir.resolve(name + ".bin");
        try (InputStream in = PublicEncoder.class.getResourceAsStream("/org/dplstm/encoders/" + name + "/model.bin")) {
            Files.copy(in, copy);
        }
        return copy;
    }

    /** One parameter of a saved model, by name. */
    static float[] parameter(Path model, String name) throws IOException {
        try (NDManager manager = NDManager.newBaseManager();
                TextModel loaded = ModelFile.loadAny(model, manager)) {
            return loaded.parameters().get(loaded.parameterNames().indexOf(name)).toFloatArray();
        }
    }
}
