package org.dplstm.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.dplstm.audit.log.AuditKey;

/** The audit key of {@code --key-file} (or DPLSTM_AUDIT_KEY_FILE), with one warning line when others can read it. */
final class KeyFiles {

    private KeyFiles() {}

    static AuditKey resolve(Path keyFile) throws IOException {
        AuditKey key = AuditKey.resolve(Optional.ofNullable(keyFile));
        key.exposureWarning().ifPresent(warning -> System.err.println("dplstm: warning: " + warning));
        return key;
    }
}
