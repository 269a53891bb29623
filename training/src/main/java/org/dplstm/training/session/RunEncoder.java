package org.dplstm.training.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.sanitize.SanitizationReport;
import org.dplstm.training.dpsgd.EncodedDataset;

/**
 * A task's encoder: sanitizes and encodes records for training, and is kept in the run directory
 * (a resume and a loaded model read it back).
 */
public interface RunEncoder {

    /** Encodes records (with user ids at user level); a bad record is bad input naming it. */
    EncodedDataset encode(List<TextRecord> records, boolean withUsers);

    /** As {@link #encode(List, boolean)}, counting what sanitization changed in {@code report}. */
    EncodedDataset encode(List<TextRecord> records, boolean withUsers, SanitizationReport report);

    /** The sanitizer's settings, as run_start records them. */
    ObjectNode sanitizationConfig();

    /** Writes the encoder and its vocabulary to {@code dir}. */
    void save(Path dir) throws IOException;

    /**
     * Each record's user as a dense id, users numbered in order of first appearance; a record
     * without a user is bad input naming it (user-level privacy needs one for every record).
     */
    static int[] userIds(List<TextRecord> records) {
        Map<String, Integer> ids = new HashMap<>();
        int[] users = new int[records.size()];
        for (int i = 0; i < records.size(); i++) {
            TextRecord record = records.get(i);
            if (record.user() == null) {
                throw new IllegalArgumentException(record.location() + ": user must be given at user level");
            }
            users[i] = ids.computeIfAbsent(record.user(), u -> ids.size());
        }
        return users;
    }
}
