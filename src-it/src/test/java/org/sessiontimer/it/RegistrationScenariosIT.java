package org.sessiontimer.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registration on the wire: SIPp is the registrar of the app's consumer (option registrar), challenging every
 * REGISTER with a fixed nonce and verifying the digest of the one that comes again (sipp/uas_register.xml).
 */
class RegistrationScenariosIT {

    private static final String OPTION = "camel.component.session-timer.";

    @Test
    @DisplayName("REGISTER at start (challenged, answered with a digest SIPp verifies), refreshed before the granted"
                 + " 6 s end, removed with Expires: 0 at stop")
    void registersRefreshesAndUnregisters() throws Exception {
        Sipp registrar = Sipp.scenario("uas_register.xml").timeout(Duration.ofSeconds(40)).set("granted", 6).start();
        try {
            Map<String, String> settings = ExampleApp.labFloor();
            settings.put(OPTION + "registrar", "sip:127.0.0.1:" + registrar.localPort());
            settings.put(OPTION + "auth-username", "alice");
            settings.put(OPTION + "auth-password", "secret");
            try (ExampleApp app = ExampleApp.start(settings)) {
                // the refresh is due 4 s after the 200 (6 - min(32, 6/3)); a little more for its challenge
                Thread.sleep(6500);
                assertThat(app.http("GET", "/observe/health").body()).as("the consumer's check is UP, registered")
                        .doesNotContain("Not registered");
            }
            SippResult result = registrar.awaitResult();
            assertThat(result.exitCode()).as(result.describe()).isZero();
            List<SippTrace.Message> registers = result.received("REGISTER");
            assertThat(registers).as("initial, again with credentials, refresh, again with credentials, removal")
                    .hasSize(5);
            assertThat(registers.stream().map(m -> m.header("Call-ID", "i")).distinct()).as("one Call-ID").hasSize(1);
        } finally {
            registrar.stop();
        }
    }
}
