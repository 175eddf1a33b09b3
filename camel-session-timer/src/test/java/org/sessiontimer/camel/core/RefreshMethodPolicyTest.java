package org.sessiontimer.camel.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Refresh method (R2)")
class RefreshMethodPolicyTest {

    @Test
    @DisplayName("R2: configured invite: always re-INVITE, even when the peer allows UPDATE")
    void invite() {
        RefreshMethodPolicy p = new RefreshMethodPolicy(RefreshMethod.INVITE, true);
        assertThat(p.methodForNextRefresh()).isEqualTo("INVITE");
        assertThat(p.onRefreshRejected(405)).isFalse();
        assertThat(p.methodForNextRefresh()).isEqualTo("INVITE");
    }

    @ParameterizedTest
    @EnumSource(value = RefreshMethod.class, names = {"UPDATE", "AUTO"})
    @DisplayName("R2: update/auto: UPDATE when the peer's Allow lists it, else re-INVITE")
    void update(RefreshMethod method) {
        assertThat(new RefreshMethodPolicy(method, true).methodForNextRefresh()).isEqualTo("UPDATE");
        assertThat(new RefreshMethodPolicy(method, false).methodForNextRefresh()).isEqualTo("INVITE");
        assertThat(RefreshMethodPolicy.forAllowHeader(method, List.of("INVITE, ACK, CANCEL, BYE, UPDATE"))
                .methodForNextRefresh()).isEqualTo("UPDATE");
        assertThat(RefreshMethodPolicy.forAllowHeader(method, List.of("INVITE, ACK, CANCEL, BYE"))
                .methodForNextRefresh()).isEqualTo("INVITE");
        assertThat(RefreshMethodPolicy.forAllowHeader(method, null).methodForNextRefresh()).isEqualTo("INVITE");
    }

    @ParameterizedTest
    @ValueSource(ints = {405, 501})
    @DisplayName("R2: a 405/501 to an UPDATE refresh falls back to re-INVITE for this and later refreshes")
    void fallback(int status) {
        RefreshMethodPolicy p = new RefreshMethodPolicy(RefreshMethod.UPDATE, true);
        assertThat(p.onRefreshRejected(status)).isTrue();
        assertThat(p.fellBackToInvite()).isTrue();
        assertThat(p.methodForNextRefresh()).isEqualTo("INVITE");
        // a later Allow with UPDATE does not bring UPDATE back; a second 405 is a plain failure
        p.peerAllowsUpdate(true);
        assertThat(p.methodForNextRefresh()).isEqualTo("INVITE");
        assertThat(p.onRefreshRejected(status)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 408, 481, 491, 500, 503, 603})
    @DisplayName("R2: other failures keep UPDATE")
    void otherFailures(int status) {
        RefreshMethodPolicy p = new RefreshMethodPolicy(RefreshMethod.AUTO, true);
        assertThat(p.onRefreshRejected(status)).isFalse();
        assertThat(p.methodForNextRefresh()).isEqualTo("UPDATE");
    }

    @Test
    @DisplayName("R2: learning the peer's Allow later switches to UPDATE")
    void learnAllow() {
        RefreshMethodPolicy p = new RefreshMethodPolicy(RefreshMethod.UPDATE, false);
        assertThat(p.methodForNextRefresh()).isEqualTo("INVITE");
        assertThat(p.onRefreshRejected(405)).isFalse(); // it was a re-INVITE: nothing to fall back from
        p.peerAllowsUpdate(true);
        assertThat(p.methodForNextRefresh()).isEqualTo("UPDATE");
    }
}
