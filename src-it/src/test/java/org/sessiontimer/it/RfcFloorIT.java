package org.sessiontimer.it;

import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * At the real RFC floor, no lab settings: SE = 90 s, so a refresh at ~45 s and a BYE at ~60 s. Both scenarios run at
 * once against the same app to keep the suite short.
 */
class RfcFloorIT extends ScenarioSupport {

    @BeforeAll
    static void start() throws Exception {
        startApp(java.util.Map.of());
    }

    @Test
    @DisplayName("R1 R9 at SE = 90: the app refreshes at 45 s when it is refresher and sends BYE at 60 s when nobody refreshes")
    void rfcFloor() throws Exception {
        Sipp refresher = set(Sipp.scenario("uac_app_refreshes_reinvite.xml").callTo(app.sipPort())
                .timeout(Duration.ofSeconds(90)), "se", 90).start();
        Sipp silent = set(Sipp.scenario("uac_no_refresh_bye.xml").callTo(app.sipPort())
                .timeout(Duration.ofSeconds(90)), "se", 90).start();
        try {
            SippResult refreshed = passed(refresher.awaitResult());
            SippResult expired = passed(silent.awaitResult());

            SippTrace.Message ok = refreshed.where(m -> !m.sent() && m.isResponse(200)).get(0);
            assertThat(refreshed.received("INVITE").get(0).secondsAfter(ok)).isBetween(44.0, 46.0);
            SippTrace.Message answered = expired.where(m -> !m.sent() && m.isResponse(200)).get(0);
            assertThat(expired.received("BYE").get(0).secondsAfter(answered)).isBetween(59.0, 61.0);
        } finally {
            refresher.stop();
            silent.stop();
        }
    }
}
