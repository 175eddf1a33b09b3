package org.sessiontimer.it;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Scenarios that need the app started with other settings than the defaults. */
class AppSettingsScenariosIT {

    private static Map<String, String> labFloorWith(String key, String value, String... more) {
        Map<String, String> settings = ExampleApp.labFloor();
        settings.put(key, value);
        for (int i = 0; i + 1 < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }

    @Nested
    @DisplayName("refreshMethod=update")
    class RefreshByUpdate extends ScenarioSupport {
        @Test
        @DisplayName("R2: with refreshMethod=update and UPDATE in the peer's Allow, the app refreshes with UPDATE without body")
        void update() throws Exception {
            startApp(labFloorWith("camel.component.session-timer.refresh-method", "update"));
            SippResult result = sippCalls("uac_app_refreshes_update.xml", Duration.ofSeconds(30), "se", 10);
            SippTrace.Message update = result.received("UPDATE").get(0);
            assertThat(update.body()).isEmpty();
            assertThat(update.header("Session-Expires", "x")).isEqualToIgnoringCase("10;refresher=uac");
        }
    }

    @Nested
    @DisplayName("answer delay 3 s with 180 Ringing")
    class Cancel extends ScenarioSupport {
        @Test
        @DisplayName("R12: CANCEL before the answer: 200 to the CANCEL, 487 to the INVITE, no session left")
        void cancel() throws Exception {
            startApp(labFloorWith("example.answer-delay", "3000", "camel.component.session-timer.send-ringing", "true"));
            SippResult result = sippCalls("uac_cancel.xml", Duration.ofSeconds(15));
            assertThat(result.where(m -> !m.sent() && m.isResponse(487))).isNotEmpty();
        }
    }

    @Nested
    @DisplayName("transactionT1=50 ms (no answer after 3.2 s)")
    class RefreshNoAnswer extends ScenarioSupport {
        @Test
        @DisplayName("R7: the peer never answers the app's refresh; the transaction times out and the app sends BYE")
        void noAnswer() throws Exception {
            startApp(labFloorWith("camel.component.session-timer.transaction-t1", "50"));
            // SE 30: refresh at 15 s, transaction timeout 64 x T1 = 3.2 s later, well before the expiry at 20 s
            SippResult result = sippCalls("uac_refresh_no_answer.xml", Duration.ofSeconds(45), "se", 30,
                    "txn_timeout_ms", 3200, "bye_tol_ms", 1500);
            SippTrace.Message refresh = result.received("INVITE").get(0);
            SippTrace.Message bye = result.received("BYE").get(0);
            assertThat(bye.secondsAfter(refresh)).isBetween(2.0, 4.9);
        }
    }
}
