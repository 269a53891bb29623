package org.dplstm.cli;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import org.dplstm.audit.log.AuditKey;
import picocli.CommandLine.Option;

/**
 * How a command that uses a trained model loads it (a picocli mixin of {@code predict},
 * {@code generate} and {@code translate}): the key its audit log is verified with, and the device.
 */
final class TrainedModelOptions {

    @Option(names = "--key-file", paramLabel = "F",
            description = "HMAC key of RUN_DIR/audit.jsonl (default: the file named by DPLSTM_AUDIT_KEY_FILE, else none): "
                    + "the model is loaded only when the verified log binds it.")
    Path keyFile;

    @Option(names = "--device", paramLabel = "cpu|gpu", description = "Default: a GPU when DJL sees one, else the CPU.")
    String device;

    AuditKey key() throws IOException {
        return KeyFiles.resolve(keyFile);
    }

    Device device() {
        return TrainingJob.resolveDevice(device);
    }
}
