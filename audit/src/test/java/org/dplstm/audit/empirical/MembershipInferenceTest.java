package org.dplstm.audit.empirical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MembershipInferenceTest {

    @Test
    void aucMatchesAHandComputedExample() {
        // Pairs (member, non-member): 3 vs {1,2,4}: wins 2; 5 vs {1,2,4}: 3; 2 vs {1,2,4}: 1 + tie 0.5.
        // AUC = (2 + 3 + 1.5) / 9 = 6.5 / 9.
        assertThat(MembershipInference.auc(new double[] {3, 5, 2}, new double[] {1, 2, 4})).isCloseTo(6.5 / 9, within(1e-12));
        assertThat(MembershipInference.auc(new double[] {2, 3}, new double[] {0, 1})).isEqualTo(1.0);
        assertThat(MembershipInference.auc(new double[] {0, 1}, new double[] {2, 3})).isEqualTo(0.0);
        assertThat(MembershipInference.auc(new double[] {1, 1}, new double[] {1, 1, 1})).isEqualTo(0.5);
    }

    @Test
    void aucEqualsTheQuadraticPairCountOnRandomInputsWithTies() {
        Random random = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            double[] members = random.ints(1 + random.nextInt(50), 0, 10).asDoubleStream().toArray();
            double[] nonMembers = random.ints(1 + random.nextInt(50), 0, 10).asDoubleStream().toArray();
            double pairs = 0;
            for (double m : members) {
                for (double n : nonMembers) {
                    pairs += m > n ? 1 : m == n ? 0.5 : 0;
                }
            }
            assertThat(MembershipInference.auc(members, nonMembers)).isCloseTo(pairs / (members.length * nonMembers.length), within(1e-12));
        }
    }

    @Test
    void tprAtFprAllowsOnlyThatManyFalsePositives() {
        // 100 non-members scored 0..99; fpr 0.01 allows 1 false positive: τ = 98 (2nd largest).
        double[] nonMembers = new double[100];
        for (int i = 0; i < 100; i++) {
            nonMembers[i] = i;
        }
        double[] members = {98.5, 99.5, 100, 50, 98};
        assertThat(MembershipInference.tprAtFpr(members, nonMembers, 0.01)).isEqualTo(3 / 5.0);
        // fpr 0.001 with 100 non-members allows none: τ = 99.
        assertThat(MembershipInference.tprAtFpr(members, nonMembers, 0.001)).isEqualTo(2 / 5.0);
        assertThat(MembershipInference.tprAtFpr(members, nonMembers, 1.0)).isEqualTo(1.0);
    }

    @Test
    void fromLossesTreatsLowerLossAsMember() {
        MembershipInference.Result result = MembershipInference.fromLosses(new double[] {0.1, 0.2}, new double[] {1.0, 2.0});
        assertThat(result.auc()).isEqualTo(1.0);
        assertThat(result.tprAtFpr001()).isEqualTo(1.0);
    }
}
