package org.dplstm.audit.log;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * What a scan of a chained file found: the events of its verified lines (in order), their hashes,
 * the first problem if any (scanning stops there), and a torn last line if the file ends without
 * a newline and everything before verified.
 */
public record ChainScan(
        List<ObjectNode> events,
        List<String> hashes,
        long intactLength,
        Optional<ChainProblem> problem,
        Optional<TornTail> tornTail) {

    public ChainScan {
        events = List.copyOf(events);
        hashes = List.copyOf(hashes);
    }

    /** Hash of the last verified line, or {@link ChainedLines#GENESIS} for an empty chain. */
    public String lastHash() {
        return hashes.isEmpty() ? ChainedLines.GENESIS : hashes.get(hashes.size() - 1);
    }

    public boolean intact() {
        return problem.isEmpty();
    }

    /** The type of the last verified event, or empty for an empty chain. */
    public Optional<String> lastType() {
        return events.isEmpty() ? Optional.empty() : Optional.of(events.get(events.size() - 1).path("type").asText());
    }

    /** The last verified event of {@code type}, or empty if there is none. */
    public Optional<ObjectNode> lastOfType(String type) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).path("type").asText().equals(type)) {
                return Optional.of(events.get(i));
            }
        }
        return Optional.empty();
    }
}
