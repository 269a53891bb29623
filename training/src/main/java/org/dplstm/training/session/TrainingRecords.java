package org.dplstm.training.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.sanitize.SanitizationReport;
import org.dplstm.training.dpsgd.EncodedDataset;

/**
 * Records to the examples a task trains on, the same way for every task: each text sanitized,
 * a text left empty dropped (it carries nothing to learn from; the sanitizer's settings drop
 * empty texts and the report counts them), then tokenized by the task, with the user ids of
 * user-level privacy. Dropping depends on each record alone, so the accountant's population is
 * simply the records kept.
 */
public final class TrainingRecords {

    private TrainingRecords() {}

    /**
     * @param report counts what sanitization did (null: not counted)
     * @param ids the task's token ids of a sanitized text
     * @param label the task's class id of a record (bad input naming the record when it has none)
     */
    public static EncodedDataset encode(List<TextRecord> records, boolean withUsers, TrainingSanitizer sanitizer,
            SanitizationReport report, Function<String, int[]> ids, ToIntFunction<TextRecord> label, int numClasses) {
        List<int[]> tokens = new ArrayList<>(records.size());
        List<Integer> labels = new ArrayList<>(records.size());
        List<Integer> users = new ArrayList<>(records.size());
        Map<String, Integer> userIds = new HashMap<>();
        for (TextRecord record : records) {
            String cleaned = sanitizer.clean(record.text(), report);
            if (cleaned.isBlank()) {
                continue;
            }
            tokens.add(ids.apply(cleaned));
            labels.add(label.applyAsInt(record));
            if (withUsers) {
                if (record.user() == null) {
                    throw new IllegalArgumentException(record.location() + ": user must be given at user level");
                }
                users.add(userIds.computeIfAbsent(record.user(), u -> userIds.size()));
            }
        }
        return EncodedDataset.of(tokens.toArray(int[][]::new), labels.stream().mapToInt(Integer::intValue).toArray(),
                withUsers ? users.stream().mapToInt(Integer::intValue).toArray() : null, numClasses);
    }
}
