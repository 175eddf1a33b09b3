package org.sessiontimer.camel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Session timer configuration")
class SessionTimerConfigTest {

    @Test
    @DisplayName("C1/S1: defaults are the RFC's: optional, 1800/90/7200, refresher uac, no refresher in requests, re-INVITE")
    void defaults() {
        SessionTimerConfig c = SessionTimerConfig.builder().build();
        assertThat(c.mode()).isEqualTo(SessionTimerMode.OPTIONAL);
        assertThat(c.sessionExpires()).isEqualTo(1800);
        assertThat(c.minSe()).isEqualTo(90);
        assertThat(c.maxSessionExpires()).isEqualTo(7200);
        assertThat(c.refresher()).isEqualTo(Refresher.UAC);
        assertThat(c.requestRefresher()).isNull();
        assertThat(c.refreshMethod()).isEqualTo(RefreshMethod.INVITE);
        assertThat(c.labFloor()).isEqualTo(90);
        assertThat(c.isBelowRfcFloor()).isFalse();
        assertThat(SessionTimerConfig.RFC_MIN_SE).isEqualTo(90);
        assertThat(SessionTimerConfig.defaults()).isEqualTo(c);
    }

    @Test
    @DisplayName("H2: minSe below 90 is refused, naming the option and the rule")
    void minSeBelowFloor() {
        assertThatThrownBy(() -> SessionTimerConfig.builder().minSe(30).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minSe must be >= 90 (RFC 4028 §5)");
    }

    @Test
    @DisplayName("Lab floor: minSe may go down to the lab floor, which is flagged below the RFC floor")
    void labFloor() {
        SessionTimerConfig c = SessionTimerConfig.builder().labFloor(5).minSe(10).sessionExpires(20).build();
        assertThat(c.minSe()).isEqualTo(10);
        assertThat(c.isBelowRfcFloor()).isTrue();
        assertThatThrownBy(() -> SessionTimerConfig.builder().labFloor(5).minSe(4).sessionExpires(20).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("minSe must be >= labFloor 5");
        assertThatThrownBy(() -> SessionTimerConfig.builder().labFloor(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("labFloor must be 1..90");
        assertThatThrownBy(() -> SessionTimerConfig.builder().labFloor(91).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("labFloor must be 1..90");
    }

    @Test
    @DisplayName("S4: sessionExpires below minSe and maxSessionExpires below sessionExpires are refused")
    void ordering() {
        assertThatThrownBy(() -> SessionTimerConfig.builder().minSe(600).sessionExpires(300).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sessionExpires must be >= minSe 600 (RFC 4028 §5): 300");
        assertThatThrownBy(() -> SessionTimerConfig.builder().sessionExpires(3600).maxSessionExpires(1800).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxSessionExpires must be >= sessionExpires 3600 (RFC 4028 §9, S4): 1800");
    }

    @Test
    @DisplayName("H3: values above 2^32-1 are refused")
    void tooLarge() {
        assertThatThrownBy(() -> SessionTimerConfig.builder().maxSessionExpires(4_294_967_296L).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("maxSessionExpires must be <= 4294967295");
        assertThat(SessionTimerConfig.builder().maxSessionExpires(4_294_967_295L).build().maxSessionExpires())
                .isEqualTo(4_294_967_295L);
    }

    @Test
    @DisplayName("null mode, refresher or method are refused")
    void nulls() {
        assertThatThrownBy(() -> SessionTimerConfig.builder().mode(null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("mode must not be null");
        assertThatThrownBy(() -> SessionTimerConfig.builder().refresher(null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("refresher must not be null");
        assertThatThrownBy(() -> SessionTimerConfig.builder().refreshMethod(null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("refreshMethod must not be null");
    }

    @Test
    @DisplayName("toBuilder derives a variant")
    void toBuilder() {
        SessionTimerConfig c = SessionTimerConfig.builder().mode(SessionTimerMode.ALWAYS).requestRefresher(Refresher.UAS)
                .refreshMethod(RefreshMethod.AUTO).build();
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.toBuilder().sessionExpires(600).build().sessionExpires()).isEqualTo(600);
    }
}
