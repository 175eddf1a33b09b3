package org.sessiontimer.camel.register;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.sessiontimer.camel.SessionTimerConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistrationSettingsTest {

    @Test
    @DisplayName("a binding is refreshed before it lapses: min(32 s, a third) ahead of the granted lifetime")
    void refreshBeforeTheBindingLapses() {
        assertThat(RegistrationSettings.refreshDelayMillis(3600)).isEqualTo(3568_000L);
        assertThat(RegistrationSettings.refreshDelayMillis(60)).isEqualTo(40_000L);
        assertThat(RegistrationSettings.refreshDelayMillis(6)).isEqualTo(4_000L);
    }

    @Test
    @DisplayName("after failed REGISTERs the back-off doubles from 5 s and stays at 5 min")
    void backOffDoublesToFiveMinutes() {
        assertThat(RegistrationSettings.retryDelaySeconds(1)).isEqualTo(5);
        assertThat(RegistrationSettings.retryDelaySeconds(2)).isEqualTo(10);
        assertThat(RegistrationSettings.retryDelaySeconds(6)).isEqualTo(160);
        assertThat(RegistrationSettings.retryDelaySeconds(7)).isEqualTo(300);
        assertThat(RegistrationSettings.retryDelaySeconds(1000)).isEqualTo(300);
    }

    @Test
    @DisplayName("bad registrar options fail at start, naming the option")
    void badOptions() {
        assertThatThrownBy(() -> new RegistrationSettings("registrar.example.com", "sip:a@b", 3600, null))
                .hasMessageContaining("registrar must be a sip: or sips: URI");
        assertThatThrownBy(() -> new RegistrationSettings("sip:registrar.example.com", "sip:a@b", 0, null))
                .hasMessageContaining("registerExpires");
    }

    @Test
    @DisplayName("the address-of-record defaults to authUsername (or camel) at the registrar's host")
    void addressOfRecordDefault() {
        SessionTimerConfiguration config = new SessionTimerConfiguration();
        assertThat(config.toRegistrationSettings()).as("no registrar, no registration").isNull();
        config.setRegistrar("sip:registrar.example.com:5080;transport=tcp");
        assertThat(config.toRegistrationSettings().addressOfRecord()).isEqualTo("sip:camel@registrar.example.com");
        config.setAuthUsername("1001");
        config.setAuthPassword("secret");
        assertThat(config.toRegistrationSettings().addressOfRecord()).isEqualTo("sip:1001@registrar.example.com");
        assertThat(config.toRegistrationSettings().credentials().username()).isEqualTo("1001");
        config.setRegisterAddressOfRecord("sip:alice@trunk.example.com");
        assertThat(config.toRegistrationSettings().addressOfRecord()).isEqualTo("sip:alice@trunk.example.com");
    }
}
