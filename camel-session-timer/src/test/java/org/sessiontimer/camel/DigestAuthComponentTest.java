package org.sessiontimer.camel;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.sessiontimer.camel.ScriptedSipPeer.Answer;
import org.sessiontimer.camel.ScriptedSipPeer.Kind;
import org.sessiontimer.camel.ScriptedSipPeer.PeerCall;
import org.sessiontimer.camel.ScriptedSipPeer.Received;
import org.sessiontimer.camel.metrics.RefreshResult;
import org.sessiontimer.camel.metrics.RefreshResult.Method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sessiontimer.camel.ScriptedSipPeer.request;

/**
 * Digest challenges to the requests we send (R13): the initial INVITE, a re-INVITE or UPDATE refresh and BYE are sent
 * again once with credentials and CSeq + 1; a challenge we cannot answer fails the request, naming status and realm.
 * The digest itself is JAIN-SIP's; the SIPp scenarios (DigestAuthScenariosIT) check its value with SIPp's own.
 */
class DigestAuthComponentTest extends SessionTimerTestSupport {

    private static final String CREDENTIALS = "authUsername=alice&authPassword=secret";
    private static final String CHALLENGE = "Digest realm=\"lab\", nonce=\"4711cafe\", qop=\"auth\", algorithm=MD5";
    private static final Pattern PARAM = Pattern.compile("(\\w+)=(\"([^\"]*)\"|[^,\\s]+)");

    private static Answer unauthorized() {
        return Answer.status(401).header("WWW-Authenticate: " + CHALLENGE);
    }

    /** The parameters of an Authorization or Proxy-Authorization value, unquoted. */
    private static Map<String, String> digest(String value) {
        assertThat(value).as("credentials").isNotNull().startsWith("Digest ");
        Map<String, String> params = new HashMap<>();
        Matcher m = PARAM.matcher(value.substring("Digest ".length()));
        while (m.find()) {
            params.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(3) != null ? m.group(3) : m.group(2));
        }
        return params;
    }

    private static void assertAnswers(Map<String, String> digest, String username, String method, Received request) {
        assertThat(digest).containsEntry("username", username).containsEntry("realm", "lab")
                .containsEntry("nonce", "4711cafe").containsEntry("qop", "auth").containsEntry("algorithm", "MD5")
                .containsKeys("cnonce", "nc", "response");
        assertThat(digest.get("response")).as("an MD5 in hex").matches("[0-9a-f]{32}");
        assertThat(digest.get("uri")).as("the digest-uri of " + method).isEqualTo(
                request.text().substring(method.length() + 1, request.firstLine().lastIndexOf(" SIP/2.0")));
    }

    /** Ends a call whose BYE is not challenged. */
    private void endCall(String callId) throws Exception {
        hangup(callId);
        peer.expect(request("BYE", callId), SHORT, "BYE");
    }

    /** Our BYE is challenged: it must come again, answered with alice's credentials, CSeq + 1. */
    private void hangUpChallenged(String callId) throws Exception {
        peer.respondNext(Kind.BYE, unauthorized());
        hangup(callId);
        Received first = peer.expect(request("BYE", callId), SHORT, "BYE");
        Received again = peer.expect(request("BYE", callId), SHORT, "BYE with credentials");
        assertThat(again.cseq()).isEqualTo(first.cseq() + 1);
        assertAnswers(digest(again.header("Authorization")), "alice", "BYE", again);
    }

    /** A call to the peer in which we refresh (the peer's 2xx says refresher=uac). */
    private String callWeRefresh(String options, String allow) throws Exception {
        startCamel(options);
        peer.respond(Kind.INVITE, r -> Answer.ok().sdp()
                .header("Session-Expires: " + r.header("Session-Expires") + ";refresher=uac")
                .header("Require: timer").header("Allow: " + allow));
        String callId = callPeerOk(options, "udp").getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);
        peer.expect(request("ACK", callId), SHORT, "ACK");
        return callId;
    }

    @Test
    @DisplayName("R13: 401 to our INVITE -> sent again once with Authorization (MD5, qop=auth) and CSeq + 1; the call is set up")
    void challengedInvite() throws Exception {
        String options = "sessionExpires=8&" + CREDENTIALS;
        startCamel(options);
        peer.respondNext(Kind.INVITE, unauthorized());
        Exchange exchange = callPeerOk(options, "udp");
        String callId = exchange.getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);

        Received first = peer.expect(request("INVITE", callId), SHORT, "INVITE");
        Received again = peer.expect(request("INVITE", callId), SHORT, "INVITE with credentials");
        assertThat(first.header("Authorization")).isNull();
        assertThat(again.cseq()).isEqualTo(first.cseq() + 1);
        assertThat(again.viaBranch()).isNotEqualTo(first.viaBranch());
        assertThat(again.fromTag()).isEqualTo(first.fromTag());
        assertThat(again.headers("Session-Expires")).isEqualTo(first.headers("Session-Expires"));
        assertThat(again.headers("Min-SE")).isEqualTo(first.headers("Min-SE"));
        assertThat(again.sdpOrigin()).isEqualTo(first.sdpOrigin());
        assertAnswers(digest(again.header("Authorization")), "alice", "INVITE", again);
        peer.expect(request("ACK", callId), SHORT, "ACK of the 2xx");

        hangup(callId);
        Received bye = peer.expect(request("BYE", callId), SHORT, "BYE");
        assertThat(bye.header("Authorization")).as("no credentials kept for the next request").isNull();
    }

    @Test
    @DisplayName("R13: 407 to our INVITE -> Proxy-Authorization with the credentials of the call's headers, which override the endpoint's")
    void proxyChallengeWithHeaderCredentials() throws Exception {
        String options = "sessionExpires=8&authUsername=endpoint&authPassword=other";
        startCamel(options);
        peer.respondNext(Kind.INVITE, Answer.status(407).header("Proxy-Authenticate: " + CHALLENGE));
        Exchange exchange = template.request(callUri(options), e -> {
            e.getMessage().setBody(OUR_SDP);
            e.getMessage().setHeader(SessionTimerConstants.TO, peer.uri("tcp"));
            e.getMessage().setHeader(SessionTimerConstants.AUTH_USERNAME, "bob");
            e.getMessage().setHeader(SessionTimerConstants.AUTH_PASSWORD, "secret");
            e.getMessage().setHeader(SessionTimerConstants.AUTH_REALM, "lab");
        });
        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getHeader(SessionTimerConstants.AUTH_PASSWORD))
                .as("the password does not travel on with the exchange").isNull();
        String callId = exchange.getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);
        peer.expect(request("INVITE", callId), SHORT, "INVITE");
        Received again = peer.expect(request("INVITE", callId), SHORT, "INVITE with credentials");
        assertThat(again.header("Authorization")).isNull();
        assertAnswers(digest(again.header("Proxy-Authorization")), "bob", "INVITE", again);

        endCall(callId);
    }

    @Test
    @DisplayName("R13: a 401 and no credentials -> the call fails with an error naming the status and the realm")
    void noCredentials() throws Exception {
        String options = "sessionExpires=8";
        startCamel(options);
        peer.respondNext(Kind.INVITE, unauthorized());
        Exchange exchange = callPeer(options, "udp");
        assertThat(exchange.getException()).isInstanceOf(org.sessiontimer.camel.sip.SipCallException.class)
                .hasMessageContaining("401").hasMessageContaining("realm \"lab\"")
                .hasMessageContaining("no credentials");
        assertThat(((org.sessiontimer.camel.sip.SipCallException) exchange.getException()).statusCode()).isEqualTo(401);
        peer.expect(request("INVITE"), SHORT, "INVITE");
        peer.expectNone(request("INVITE"), Duration.ofMillis(500), "a second INVITE");
    }

    @Test
    @DisplayName("R13: a 401 of another realm than authRealm -> not answered; the call fails naming both realms")
    void otherRealm() throws Exception {
        String options = "sessionExpires=8&" + CREDENTIALS + "&authRealm=carrier.example";
        startCamel(options);
        peer.respondNext(Kind.INVITE, unauthorized());
        Exchange exchange = callPeer(options, "udp");
        assertThat(exchange.getException()).hasMessageContaining("401").hasMessageContaining("realm \"lab\"")
                .hasMessageContaining("carrier.example");
        peer.expect(request("INVITE"), SHORT, "INVITE");
        peer.expectNone(request("INVITE"), Duration.ofMillis(500), "an INVITE with credentials for another realm");
    }

    @Test
    @DisplayName("R13: a second 401 after we answered -> answered once only; the call fails, naming the refusal")
    void secondChallengeFails() throws Exception {
        String options = "sessionExpires=8&" + CREDENTIALS;
        startCamel(options);
        peer.respondNext(Kind.INVITE, unauthorized(), unauthorized());
        Exchange exchange = callPeer(options, "udp");
        assertThat(exchange.getException()).hasMessageContaining("401").hasMessageContaining("realm \"lab\"")
                .hasMessageContaining("challenged again");
        Received first = peer.expect(request("INVITE"), SHORT, "INVITE");
        Received again = peer.expect(request("INVITE"), SHORT, "INVITE with credentials");
        assertThat(again.cseq()).isEqualTo(first.cseq() + 1);
        peer.expectNone(request("INVITE"), Duration.ofMillis(500), "a third INVITE");
    }

    @Test
    @DisplayName("R13/R3: 401 to our re-INVITE refresh -> sent again with credentials, CSeq + 1, Session-Expires and Min-SE as negotiated; refreshed")
    void challengedReInviteRefresh() throws Exception {
        String options = "sessionExpires=8&" + CREDENTIALS;
        String callId = callWeRefresh(options, "INVITE, ACK, BYE, CANCEL");
        peer.respondNext(Kind.REINVITE, unauthorized());
        refreshNow(callId);
        Received first = peer.expect(request("INVITE", callId).and(r -> r.header("Authorization") == null
                && r.cseq() > 1), SHORT, "refresh");
        Received again = peer.expect(request("INVITE", callId).and(r -> r.cseq() > first.cseq()), SHORT,
                "refresh with credentials");
        assertThat(again.cseq()).isEqualTo(first.cseq() + 1);
        assertThat(again.headers("Session-Expires")).containsExactly("8;refresher=uac").isEqualTo(
                first.headers("Session-Expires"));
        assertThat(again.headers("Min-SE")).isEqualTo(first.headers("Min-SE"));
        assertThat(again.sdpOrigin()).as("R2: the same session description").isEqualTo(first.sdpOrigin());
        assertAnswers(digest(again.header("Authorization")), "alice", "INVITE", again);
        CallEventRecord refreshed = expectEvent("refreshed", callId, SHORT);
        assertThat(refreshed.interval()).isEqualTo(8L);
        assertThat(component.getStatistics().refreshesSent(Method.INVITE, RefreshResult.CHALLENGED)).isEqualTo(1);
        assertThat(component.getStatistics().refreshesSent(Method.INVITE, RefreshResult.OK)).isEqualTo(1);
        assertThat(component.getStatistics().refreshesSent(Method.INVITE, RefreshResult.OTHER)).isZero();

        endCall(callId);
    }

    @Test
    @DisplayName("R13/R2: 401 to our UPDATE refresh -> the UPDATE is sent again with credentials and CSeq + 1; refreshed")
    void challengedUpdateRefresh() throws Exception {
        String options = "sessionExpires=8&refreshMethod=update&" + CREDENTIALS;
        String callId = callWeRefresh(options, "INVITE, ACK, BYE, CANCEL, UPDATE");
        peer.respondNext(Kind.UPDATE, unauthorized());
        refreshNow(callId);
        Received first = peer.expect(request("UPDATE", callId), SHORT, "UPDATE refresh");
        Received again = peer.expect(request("UPDATE", callId), SHORT, "UPDATE with credentials");
        assertThat(again.cseq()).isEqualTo(first.cseq() + 1);
        assertThat(again.headers("Session-Expires")).isEqualTo(first.headers("Session-Expires"));
        assertThat(again.headers("Min-SE")).isEqualTo(first.headers("Min-SE"));
        assertThat(again.body()).isEmpty();
        assertAnswers(digest(again.header("Authorization")), "alice", "UPDATE", again);
        expectEvent("refreshed", callId, SHORT);
        assertThat(component.getStatistics().refreshesSent(Method.UPDATE, RefreshResult.CHALLENGED)).isEqualTo(1);

        endCall(callId);
    }

    @Test
    @DisplayName("R13/R8: a challenge to our refresh that we cannot answer is a refresh failure: the call lives on to its expiry, then BYE")
    void unansweredRefreshChallenge() throws Exception {
        String options = "sessionExpires=4";
        String callId = callWeRefresh(options, "INVITE, ACK, BYE, CANCEL");
        peer.respondNext(Kind.REINVITE, unauthorized());
        Received refresh = peer.expect(request("INVITE", callId).and(r -> r.cseq() > 1), Duration.ofSeconds(4),
                "refresh");
        CallEventRecord failed = expectEvent("refresh-failed", callId, SHORT);
        assertThat(failed.reason()).contains("401").contains("realm \"lab\"").contains("no credentials");
        assertThat(component.getStatistics().refreshesSent(Method.INVITE, RefreshResult.UNAUTHORIZED)).isEqualTo(1);
        assertThat(component.getActiveSessionCount()).as("R8: alive after the challenge").isEqualTo(1);

        Received bye = peer.expect(request("BYE", callId), Duration.ofSeconds(4), "BYE at expiry");
        assertThat(millisBetween(refresh.nanos(), bye.nanos())).as("R9: 2667 ms after the 2xx, the refresh at 2000")
                .isBetween(667L - 150, 667L + 900);
        assertThat(peer.history()).as("the refresh was not sent again").filteredOn(r -> r.isRequest()
                && callId.equals(r.callId()) && r.method().equals("INVITE")).hasSize(2);
        assertThat(expectEvent("ended", callId, SHORT).reason()).isEqualTo("session expired");
    }

    @Test
    @DisplayName("R13/R12: 401 to our BYE -> the BYE is sent again with credentials and CSeq + 1, so the peer ends the call too")
    void challengedBye() throws Exception {
        String options = "sessionExpires=8&" + CREDENTIALS;
        String callId = callWeRefresh(options, "INVITE, ACK, BYE, CANCEL");
        hangUpChallenged(callId);
        assertThat(expectEvent("ended", callId, SHORT).reason()).contains("bye");
    }

    @Test
    @DisplayName("R13: 401 to the BYE of a call we answered -> answered with the credentials of the endpoint that took the call")
    void challengedByeOfCallWeAnswered() throws Exception {
        startCamel("sessionExpires=8&" + CREDENTIALS);
        PeerCall call = peer.call(ourUri(), "udp", "Session-Expires: 8;refresher=uac", "Supported: timer");
        assertThat(call.awaitFinalResponse(CALL_SETUP).status()).isEqualTo(200);
        expectEvent("confirmed", call.callId(), SHORT);
        hangUpChallenged(call.callId());
    }
}
