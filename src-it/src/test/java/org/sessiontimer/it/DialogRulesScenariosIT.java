package org.sessiontimer.it;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 3261 rules around the session timer on the wire, against SIPp: early dialogs (R10, R12) and forks (R16). */
class DialogRulesScenariosIT {

    /** The lab floor, and an answering route that rings (180 with the app's tag) for {@code answerDelayMillis}. */
    private static Map<String, String> ringingFor(long answerDelayMillis) {
        Map<String, String> settings = ExampleApp.labFloor();
        settings.put("example.answer-delay", Long.toString(answerDelayMillis));
        settings.put("camel.component.session-timer.send-ringing", "true");
        return settings;
    }

    @Nested
    @DisplayName("answer delay 3 s with 180 Ringing")
    class ByeOnEarlyDialog extends ScenarioSupport {
        @Test
        @DisplayName("R12: BYE on the early dialog: 200 to the BYE, 487 to the INVITE, no session left")
        void byeBeforeTheAnswer() throws Exception {
            startApp(ringingFor(3000));
            SippResult result = sippCalls("uac_bye_early.xml", Duration.ofSeconds(15));
            assertThat(result.where(m -> !m.sent() && m.isResponse(487))).isNotEmpty();
            assertThat(result.where(m -> !m.sent() && m.isResponse(481))).isEmpty();
        }
    }

    @Nested
    @DisplayName("answer delay 2 s with 180 Ringing")
    class UpdateOnEarlyDialog extends ScenarioSupport {
        @Test
        @DisplayName("R10: UPDATE on the early dialog: 200 without a body, 500 with Retry-After with an offer; then the call")
        void updatesBeforeTheAnswer() throws Exception {
            startApp(ringingFor(2000));
            SippResult result = sippCalls("uac_update_early.xml", Duration.ofSeconds(20));
            assertThat(result.where(m -> !m.sent() && m.isResponse(500))).hasSize(1);
            assertThat(result.where(m -> !m.sent() && m.isResponse(481))).isEmpty();
        }
    }

    @Nested
    @DisplayName("lab floor")
    class ForkedAnswers extends ScenarioSupport {
        @Test
        @DisplayName("R16: a second 2xx from another fork is ACKed and its dialog ended with BYE; the first call lives on")
        void secondForkAnswers() throws Exception {
            startApp(ExampleApp.labFloor());
            Sipp sipp = Sipp.scenario("uas_forked_2xx.xml").timeout(Duration.ofSeconds(30));
            try {
                sipp.set("se", 4).start();
                HttpResponse<String> placed = app.http("POST", "/api/calls?to="
                        + URLEncoder.encode("sip:service@127.0.0.1:" + sipp.localPort(), StandardCharsets.UTF_8));
                assertThat(placed.statusCode()).as(placed.body()).isEqualTo(200);
                SippResult result = passed(sipp.awaitResult());
                assertThat(result.received("ACK")).as("one ACK per 2xx").hasSize(2);
                assertThat(result.received("BYE")).as("one BYE per dialog").hasSize(2);
            } finally {
                sipp.stop();
            }
        }
    }
}
