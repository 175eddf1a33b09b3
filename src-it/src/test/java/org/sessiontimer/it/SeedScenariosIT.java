package org.sessiontimer.it;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's two scenarios, corrected, against the example app at lab-floor intervals (SE 10 s): SIPp calls the app,
 * and the app (through its HTTP API) calls SIPp.
 */
class SeedScenariosIT {

    private static ExampleApp app;

    @BeforeAll
    static void startApp() throws Exception {
        app = ExampleApp.start(ExampleApp.labFloor());
    }

    @AfterAll
    static void stopApp() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    @AfterEach
    void noSessionLeft() {
        app.awaitNoSessions(Duration.ofSeconds(10));
    }

    @Test
    @DisplayName("S1 S2 H4 R10 R11 R12: SIPp calls the app and refreshes; 200s carry Session-Expires, Require and Supported")
    void sippCallsTheApp() throws Exception {
        SippResult result = Sipp.scenario("uac_with_timer.xml").callTo(app.sipPort()).set("se", 10)
                .timeout(Duration.ofSeconds(30)).run();

        assertThat(result.exitCode()).as(result.describe()).isZero();
        List<SippTrace.Message> oks = result.where(m -> !m.sent() && m.isResponse(200)
                                                        && m.header("CSeq").endsWith("INVITE"));
        // over UDP a 200 may be retransmitted until its ACK arrives: count the transactions
        assertThat(oks.stream().map(SippTrace.Message::cseq).distinct()).as("200 to the INVITE and to the refresh")
                .hasSize(2);
        for (SippTrace.Message ok : oks) {
            assertThat(ok.header("Session-Expires", "x")).isEqualToIgnoringCase("10;refresher=uac");
            assertThat(ok.header("Require")).containsIgnoringCase("timer");
            assertThat(ok.header("Supported", "k")).containsIgnoringCase("timer");
        }
    }

    @Test
    @DisplayName("C1 C2 R1-R4: the app calls SIPp, refreshes at SE/2 with an unchanged SDP, ACKs the 2xx")
    void appCallsSipp() throws Exception {
        Sipp sipp = Sipp.scenario("uas_with_timer.xml").timeout(Duration.ofSeconds(40)).start();
        try {
            HttpResponse<String> placed = app.http("POST", "/api/calls?to=sip:service@127.0.0.1:" + sipp.localPort());
            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(200);
            assertThat(placed.body()).contains("\"callId\"").contains("\"interval\":10");

            SippResult result = sipp.awaitResult();
            assertThat(result.exitCode()).as(result.describe()).isZero();

            List<SippTrace.Message> invites = result.received("INVITE");
            assertThat(invites).as("initial INVITE and one refresh").hasSize(2);
            SippTrace.Message initial = invites.get(0);
            SippTrace.Message refresh = invites.get(1);
            assertThat(initial.header("Session-Expires", "x")).as("C1: no refresher parameter").isEqualTo("10");
            assertThat(initial.header("Min-SE")).isEqualTo("4");
            assertThat(refresh.header("Call-ID", "i")).isEqualTo(initial.header("Call-ID", "i"));
            assertThat(refresh.cseq()).isEqualTo(initial.cseq() + 1);
            assertThat(refresh.originLine()).as("R2: same o= line").isEqualTo(initial.originLine());
            assertThat(refresh.header("Session-Expires", "x")).isEqualToIgnoringCase("10;refresher=uac");
            SippTrace.Message ok = result.where(m -> m.sent() && m.isResponse(200)).get(0);
            assertThat(refresh.secondsAfter(ok)).as("R1: refresh at SE/2").isBetween(4.0, 6.5);
            assertThat(result.received("ACK").stream().map(SippTrace.Message::cseq).distinct()).as("ACK of both 2xx")
                    .containsExactly(initial.cseq(), refresh.cseq());
        } finally {
            sipp.stop();
        }
    }
}
