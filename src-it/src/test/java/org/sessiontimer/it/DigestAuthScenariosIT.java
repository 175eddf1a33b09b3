package org.sessiontimer.it;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Digest challenges on the wire (R13): SIPp, the callee, challenges the app's INVITE, its re-INVITE or UPDATE refresh,
 * or its BYE with 401 and a fixed nonce, and recomputes the digest of the request that comes again (SIPp's
 * verifyauth). The app answers with the credentials of its configuration. One app per test, with that test's
 * refresh method.
 */
class DigestAuthScenariosIT {

    private static final String OPTION = "camel.component.session-timer.";

    /** The lab floor and the credentials the scenarios expect: alice, secret, realm sipp.lab. */
    private static Map<String, String> withCredentials() {
        Map<String, String> settings = ExampleApp.labFloor();
        settings.put(OPTION + "auth-username", "alice");
        settings.put(OPTION + "auth-password", "secret");
        settings.put(OPTION + "auth-realm", "sipp.lab");
        return settings;
    }

    /** The app calls SIPp running the scenario; SIPp's exit status says whether every check held. */
    private static SippResult appCalls(Sipp sipp, Map<String, String> settings) throws Exception {
        try (ExampleApp app = ExampleApp.start(settings)) {
            sipp.start();
            HttpResponse<String> placed = app.http("POST", "/api/calls?to="
                    + URLEncoder.encode("sip:service@127.0.0.1:" + sipp.localPort(), StandardCharsets.UTF_8));
            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(200);
            SippResult result = sipp.awaitResult();
            assertThat(result.exitCode()).as(result.describe()).isZero();
            app.awaitNoSessions(Duration.ofSeconds(10));
            return result;
        } finally {
            sipp.stop();
        }
    }

    @Test
    @DisplayName("R13: 401 to the app's INVITE -> sent again with a digest SIPp verifies, CSeq + 1, same timer headers")
    void challengeOnInvite() throws Exception {
        SippResult result = appCalls(Sipp.scenario("uas_auth_invite.xml").timeout(Duration.ofSeconds(30)),
                withCredentials());
        assertThat(result.received("INVITE")).as("the INVITE and the one with credentials").hasSize(2);
    }

    @Test
    @DisplayName("R13: 401 to the app's re-INVITE refresh -> sent again with a digest SIPp verifies, CSeq + 1,"
                 + " Session-Expires and Min-SE as negotiated")
    void challengeOnReInviteRefresh() throws Exception {
        SippResult result = appCalls(Sipp.scenario("uas_auth_reinvite.xml").timeout(Duration.ofSeconds(30)),
                withCredentials());
        assertThat(result.received("INVITE")).as("the INVITE, the refresh and the one with credentials").hasSize(3);
    }

    @Test
    @DisplayName("R13: 401 to the app's UPDATE refresh -> sent again with a digest SIPp verifies, CSeq + 1,"
                 + " Session-Expires and Min-SE as negotiated")
    void challengeOnUpdateRefresh() throws Exception {
        Map<String, String> settings = withCredentials();
        settings.put(OPTION + "refresh-method", "update");
        SippResult result = appCalls(Sipp.scenario("uas_auth_update.xml").timeout(Duration.ofSeconds(30)), settings);
        assertThat(result.received("UPDATE")).as("the refresh and the one with credentials").hasSize(2);
    }

    @Test
    @DisplayName("R13: 401 to the app's expiry BYE -> sent again with a digest SIPp verifies and CSeq + 1, so the"
                 + " call ends at SIPp too")
    void challengeOnBye() throws Exception {
        SippResult result = appCalls(Sipp.scenario("uas_auth_bye.xml").timeout(Duration.ofSeconds(30)),
                withCredentials());
        assertThat(result.received("BYE")).as("the BYE and the one with credentials").hasSize(2);
    }
}
