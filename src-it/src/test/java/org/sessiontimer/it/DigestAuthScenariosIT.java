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

    /**
     * The app, with these settings, calls SIPp running the scenario; SIPp's exit status says whether every check held,
     * and it received {@code count} requests of {@code method}.
     */
    private static void appCalls(String scenario, Map<String, String> settings, String method, int count)
            throws Exception {
        Sipp sipp = Sipp.scenario(scenario).timeout(Duration.ofSeconds(30));
        try (ExampleApp app = ExampleApp.start(settings)) {
            sipp.start();
            HttpResponse<String> placed = app.http("POST", "/api/calls?to="
                    + URLEncoder.encode("sip:service@127.0.0.1:" + sipp.localPort(), StandardCharsets.UTF_8));
            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(200);
            SippResult result = sipp.awaitResult();
            assertThat(result.exitCode()).as(result.describe()).isZero();
            assertThat(result.received(method)).as(method + " requests, the challenged one and the one sent again")
                    .hasSize(count);
            app.awaitNoSessions(Duration.ofSeconds(10));
        } finally {
            sipp.stop();
        }
    }

    @Test
    @DisplayName("R13: 401 to the app's INVITE -> sent again with a digest SIPp verifies, CSeq + 1, same timer headers")
    void challengeOnInvite() throws Exception {
        appCalls("uas_auth_invite.xml", withCredentials(), "INVITE", 2);
    }

    @Test
    @DisplayName("R13: 401 to the app's re-INVITE refresh -> sent again with a digest SIPp verifies, CSeq + 1,"
                 + " Session-Expires and Min-SE as negotiated")
    void challengeOnReInviteRefresh() throws Exception {
        appCalls("uas_auth_reinvite.xml", withCredentials(), "INVITE", 3); // with the initial INVITE
    }

    @Test
    @DisplayName("R13: 401 to the app's UPDATE refresh -> sent again with a digest SIPp verifies, CSeq + 1,"
                 + " Session-Expires and Min-SE as negotiated")
    void challengeOnUpdateRefresh() throws Exception {
        Map<String, String> settings = withCredentials();
        settings.put(OPTION + "refresh-method", "update");
        appCalls("uas_auth_update.xml", settings, "UPDATE", 2);
    }

    @Test
    @DisplayName("R13: 401 to the app's expiry BYE -> sent again with a digest SIPp verifies and CSeq + 1, so the"
                 + " call ends at SIPp too")
    void challengeOnBye() throws Exception {
        appCalls("uas_auth_bye.xml", withCredentials(), "BYE", 2);
    }
}
