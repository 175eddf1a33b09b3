package org.sessiontimer.camel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Refresher and roles")
class RefresherTest {

    @Test
    @DisplayName("H1: refresher tokens are case-insensitive")
    void tokens() {
        assertThat(Refresher.fromToken("uac")).isEqualTo(Refresher.UAC);
        assertThat(Refresher.fromToken(" UAS ")).isEqualTo(Refresher.UAS);
        assertThat(Refresher.UAC.token()).isEqualTo("uac");
        assertThat(Refresher.UAS.token()).isEqualTo("uas");
        assertThat(Refresher.UAC.opposite()).isEqualTo(Refresher.UAS);
        assertThat(Refresher.UAS.opposite()).isEqualTo(Refresher.UAC);
    }

    @Test
    @DisplayName("H3: an unknown refresher token is refused")
    void unknown() {
        assertThatThrownBy(() -> Refresher.fromToken("foo")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'foo'");
        assertThatThrownBy(() -> Refresher.fromToken(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("R10: weRefresh reads the refresher in the roles of the transaction at hand")
    void weRefresh() {
        assertThat(Refresher.weRefresh(Refresher.UAC, Role.UAC)).isTrue();
        assertThat(Refresher.weRefresh(Refresher.UAC, Role.UAS)).isFalse();
        assertThat(Refresher.weRefresh(Refresher.UAS, Role.UAS)).isTrue();
        assertThat(Refresher.weRefresh(Refresher.UAS, Role.UAC)).isFalse();
        assertThat(Refresher.of(Role.UAS)).isEqualTo(Refresher.UAS);
        assertThat(Role.UAC.opposite()).isEqualTo(Role.UAS);
    }
}
