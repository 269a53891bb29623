package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dplstm.training.encoders.PublicEncoder;
import org.dplstm.training.model.ModelFile;
import org.dplstm.training.model.TextModel;
import org.dplstm.training.provenance.AuditTrails;

/** Reads the shipped public models' files as a user would, apart from the code that loads them. */
final class ShippedModels {

    private static final ObjectMapper JSON = new ObjectMapper();

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

    /**
     * A run that left a default public start out: it trained, printed {@code note} (or no note at all
     * when null), and neither run.json nor run_start names a shipped model or pins its weights.
     */
    static void assertRandomStart(String variant, CliRunner.Result trained, Path run, String note) throws IOException {
        assertThat(trained.exitCode()).as(variant + ": " + trained.err()).isZero();
        if (note == null) {
            assertThat(trained.err()).as(variant).doesNotContain("note:");
        } else {
            assertThat(trained.err()).as(variant).contains(note);
        }
        assertThat(JSON.readTree(run.resolve("run.json").toFile()).has("public_encoder")).as(variant).isFalse();
        assertThat(AuditTrails.events(run).get(0).get("config").get("run").get("init_model_sha256").isNull())
                .as(variant).isTrue();
    }
}
