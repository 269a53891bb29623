package org.dplstm.privacy.pld;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;

/** Privacy-loss-distribution accountant (work in progress on this branch: not usable yet). */
public final class PldAccountant implements PrivacyAccountant {

    private final List<PrivacyEvent> history = new ArrayList<>();

    @Override
    public AccountantKind kind() {
        return AccountantKind.PLD;
    }

    @Override
    public void compose(PrivacyEvent event) {
        history.add(event);
    }

    @Override
    public List<PrivacyEvent> history() {
        return Collections.unmodifiableList(new ArrayList<>(history));
    }

    @Override
    public double epsilon(double delta) {
        throw new UnsupportedOperationException("PLD accountant not implemented yet");
    }

    @Override
    public double delta(double epsilon) {
        throw new UnsupportedOperationException("PLD accountant not implemented yet");
    }
}
