package org.dplstm.audit.log;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.dplstm.privacy.PrivacyEvent;

/**
 * What a run_end event records: the run's commit point (ARCHITECTURE §6). Everything a report
 * states comes from here and run_start, never from an editable file, and {@code files} binds the
 * run directory's artefacts to the log by relative name and SHA-256.
 *
 * @param runId the run id of run_start, repeated so the end names its run
 * @param epsilon final ε per accountant id at {@code delta} (empty without privacy)
 * @param epsilonBreakdown ε of each mechanism on its own ({@code dp_sgd}, {@code vocabulary}, ...)
 * @param privacyEvents the complete accountant history, for recomputation and the ledger
 * @param files SHA-256 of each artefact by its name in the run directory (must hold the model)
 */
public record RunEnd(String runId, long steps, Map<String, Double> epsilon, Map<String, Double> epsilonBreakdown,
        double delta, List<? extends PrivacyEvent> privacyEvents, double trainSeconds, Map<String, String> files) {

    public RunEnd {
        Objects.requireNonNull(runId, "run id");
        epsilon = Map.copyOf(epsilon);
        epsilonBreakdown = Map.copyOf(epsilonBreakdown);
        privacyEvents = List.copyOf(privacyEvents);
        files = Map.copyOf(files);
    }
}
