package org.sessiontimer.it;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app on its defaults but at the lab floor (sessionExpires 10 s, minSe 4 s, refresher uac, re-INVITE refreshes),
 * against one SIPp scenario per behaviour. Timing windows are checked by the scenarios themselves (1 s tolerance).
 */
class LabFloorScenariosIT extends ScenarioSupport {

    @BeforeAll
    static void start() throws Exception {
        startApp(ExampleApp.labFloor());
    }

    @Test
    @DisplayName("S3 H5 C4: SE below the app's Min-SE gets 422 with Min-SE; SIPp's retry is accepted")
    void uac422Retry() throws Exception {
        SippResult result = sippCalls("uac_422_retry.xml", Duration.ofSeconds(20), "se_low", 2, "expect_min_se", 4);
        SippTrace.Message tooSmall = result.where(m -> !m.sent() && m.isResponse(422)).get(0);
        assertThat(tooSmall.header("Min-SE")).isEqualTo("4");
        List<SippTrace.Message> invites = result.sent("INVITE");
        assertThat(invites.get(1).header("Call-ID", "i")).isEqualTo(invites.get(0).header("Call-ID", "i"));
        assertThat(invites.get(1).cseq()).isEqualTo(invites.get(0).cseq() + 1);
    }

    @Test
    @DisplayName("C4 C1: the app retries its INVITE after SIPp's 422 with Min-SE raised, same Call-ID, CSeq + 1")
    void uas422() throws Exception {
        Sipp sipp = Sipp.scenario("uas_422.xml").set("min_se", 120).timeout(Duration.ofSeconds(30)).start();
        try {
            HttpResponse<String> placed = app.http("POST", "/api/calls?to=sip:service@127.0.0.1:" + sipp.localPort());
            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(200);
            assertThat(placed.body()).contains("\"interval\":120");
            SippResult result = passed(sipp.awaitResult());
            List<SippTrace.Message> invites = result.received("INVITE");
            assertThat(invites).hasSizeGreaterThanOrEqualTo(2);
            SippTrace.Message first = invites.get(0);
            SippTrace.Message retry = invites.stream().filter(m -> m.cseq() != first.cseq()).findFirst().orElseThrow();
            assertThat(retry.header("Call-ID", "i")).isEqualTo(first.header("Call-ID", "i"));
            assertThat(retry.header("From", "f")).isEqualTo(first.header("From", "f"));
            assertThat(retry.cseq()).isEqualTo(first.cseq() + 1);
            assertThat(retry.header("Min-SE")).isEqualTo("120");
            assertThat(retry.header("Session-Expires", "x")).isEqualTo("120");
        } finally {
            sipp.stop();
        }
    }

    @Test
    @DisplayName("S1 R1 R2 R3 R4: asked to refresh (refresher=uas), the app re-INVITEs at SE/2 with the same SDP and ACKs")
    void appRefreshesWithReInvite() throws Exception {
        SippResult result = sippCalls("uac_app_refreshes_reinvite.xml", Duration.ofSeconds(30), "se", 10);
        SippTrace.Message ok = result.where(m -> !m.sent() && m.isResponse(200)).get(0);
        SippTrace.Message refresh = result.received("INVITE").get(0);
        assertThat(refresh.originLine()).isEqualTo(ok.originLine());
        assertThat(refresh.header("Session-Expires", "x")).isEqualToIgnoringCase("10;refresher=uac");
        assertThat(refresh.header("Supported", "k")).contains("timer");
    }

    @Test
    @DisplayName("R9: SIPp never refreshes; the app sends BYE at SE - min(32, SE/3) = 6.67 s")
    void appEndsUnrefreshedSession() throws Exception {
        SippResult result = sippCalls("uac_no_refresh_bye.xml", Duration.ofSeconds(30), "se", 10);
        SippTrace.Message ok = result.where(m -> !m.sent() && m.isResponse(200)).get(0);
        SippTrace.Message bye = result.received("BYE").get(0);
        assertThat(bye.secondsAfter(ok)).isBetween(5.7, 7.7);
    }

    @Test
    @DisplayName("R10 R11 R9: SIPp's refresh moves the app's expiry: no BYE at the original expiry, BYE after the new one")
    void refreshMovesExpiry() throws Exception {
        sippCalls("uac_refresh_moves_expiry.xml", Duration.ofSeconds(40), "se", 10);
    }

    @Test
    @DisplayName("R6: 491 to the app's refresh is retried within 0-2 s (SIPp owns the Call-ID) and then succeeds")
    void requestPendingIsRetried() throws Exception {
        // SE 20: the refresh at 10 s leaves 3.3 s before the expiry, room for any 0-2 s back-off (R6 retries only
        // when the retry comes before the expiry; at SE 10 a back-off above 1.67 s would rightly end in BYE)
        SippResult result = sippCalls("uac_491_on_refresh.xml", Duration.ofSeconds(40), "se", 20);
        List<SippTrace.Message> refreshes = result.received("INVITE");
        assertThat(refreshes.stream().map(SippTrace.Message::cseq).distinct()).hasSize(2);
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = { "udp", "tcp" })
    @DisplayName("H1: compact x and k headers are understood")
    void compactHeaders(String transport) throws Exception {
        Sipp sipp = Sipp.scenario("uac_compact_header.xml").callTo(app.sipPort()).timeout(Duration.ofSeconds(20))
                .set("se", 10);
        if (transport.equals("tcp")) {
            sipp.tcp();
        }
        passed(sipp.run());
    }

    @Test
    @DisplayName("S6 S2: a UAC without Supported: timer gets a 200 without Session-Expires and without Require: timer")
    void uacWithoutTimerSupport() throws Exception {
        sippCalls("uac_no_timer_support.xml", Duration.ofSeconds(20), "hold_ms", 1000);
    }

    @ParameterizedTest(name = "Session-Expires: {0}")
    @ValueSource(strings = { "abc", "-5", "99999999999", "90;refresher=foo" })
    @DisplayName("H3: a malformed Session-Expires gets 400 whose reason phrase names the header")
    void malformedSessionExpires(String value) throws Exception {
        SippResult result = sippCalls("uac_malformed_se.xml", Duration.ofSeconds(15), "bad_se", value);
        SippTrace.Message bad = result.where(m -> !m.sent() && m.isResponse(400)).get(0);
        assertThat(bad.startLine()).contains("Session-Expires");
    }

    @Test
    @DisplayName("Bad input: the HTTP API answers JSON errors (400, 404), never a stack trace")
    void httpApiErrors() throws Exception {
        HttpResponse<String> noTarget = app.http("POST", "/api/calls");
        assertThat(noTarget.statusCode()).isEqualTo(400);
        assertThat(noTarget.body()).startsWith("{\"error\":");
        HttpResponse<String> notSip = app.http("POST", "/api/calls?to=mailto:x@example.invalid");
        assertThat(notSip.statusCode()).isEqualTo(400);
        HttpResponse<String> unparsable = app.http("POST", "/api/calls?to=sip:%3C%3E@@");
        assertThat(unparsable.statusCode()).as(unparsable.body()).isEqualTo(400);
        assertThat(unparsable.body()).startsWith("{\"error\":").doesNotContain("Exception:");
        HttpResponse<String> unknown = app.http("DELETE", "/api/calls/no-such-call");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no-such-call");
        HttpResponse<String> list = app.http("GET", "/api/calls");
        assertThat(list.body()).isEqualTo("[]");
        assertThat(app.http("GET", "/observe/health").body()).contains("UP");
        assertThat(app.http("GET", "/observe/metrics").body()).contains("camel_exchanges_total")
                .contains("session_timer_active_sessions{camelContext=\"session-timer-example\"} 0.0");
    }
}
