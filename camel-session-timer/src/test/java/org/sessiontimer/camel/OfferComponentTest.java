package org.sessiontimer.camel;

import java.time.Duration;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.sessiontimer.camel.ScriptedSipPeer.Answer;
import org.sessiontimer.camel.ScriptedSipPeer.Kind;
import org.sessiontimer.camel.ScriptedSipPeer.PeerCall;
import org.sessiontimer.camel.ScriptedSipPeer.Received;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sessiontimer.camel.ScriptedSipPeer.finalResponse;
import static org.sessiontimer.camel.ScriptedSipPeer.request;

/**
 * Mid-call offers (R15): a re-INVITE or UPDATE whose o= version changed is an offer the route answers (or the default
 * answer, RFC 3264 §6.1); one with the same o= is only a refresh; an offerless re-INVITE gets our SDP as offer.
 */
class OfferComponentTest extends SessionTimerTestSupport {

    static final String HOLD = "v=0\r\no=peer 4711 4712 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
                               + "t=0 0\r\nm=audio 40000 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\na=sendonly\r\n";
    static final String T38 = "v=0\r\no=peer 4711 4713 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
                              + "t=0 0\r\nm=image 40002 udptl t38\r\na=T38FaxVersion:0\r\n";
    /** What the offer route answers with. */
    static final String ROUTE_ANSWER = "v=0\r\no=camel 1001 1002 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
                                       + "t=0 0\r\nm=audio 30002 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=recvonly\r\n";
    static final String OFFERS = "mock:offers";
    static final String TIMER = "Supported: timer";

    /** Answers calls with {@link #OUR_SDP}; offers go to {@link #OFFERS} and are answered as {@code offerReply} says. */
    void startWithOfferRoute(String options, String offerReply) throws Exception {
        startCamel(options, false, new RouteBuilder() {
            @Override
            public void configure() {
                from(callUri(options)).routeId("answer")
                        .choice()
                        .when(header(SessionTimerConstants.EVENT).isEqualTo("offer"))
                            .to(OFFERS)
                            .process(e -> {
                                if (offerReply.startsWith("v=")) {
                                    e.getMessage().setBody(offerReply);
                                } else {
                                    e.getMessage().setHeader(SessionTimerConstants.STATUS_CODE, Integer.valueOf(offerReply));
                                    e.getMessage().setBody(null);
                                }
                            })
                        .otherwise()
                            .process(e -> e.getMessage().setBody(OUR_SDP))
                        .end();
            }
        });
    }

    PeerCall answeredCall(String sessionExpires) throws Exception {
        PeerCall call = peer.call(ourUri(), "udp", "Session-Expires: " + sessionExpires + ";refresher=uac", TIMER);
        assertThat(call.awaitFinalResponse(CALL_SETUP).status()).isEqualTo(200);
        expectEvent("confirmed", call.callId(), SHORT);
        return call;
    }

    /** The next final answer of ours to a request of the peer's with this method. */
    static Received okTo(String method, String callId) throws InterruptedException {
        return peer.expect(r -> !r.isRequest() && r.status() >= 200 && callId.equals(r.callId())
                && r.cseqMethod().equals(method), SHORT, "final answer to " + method);
    }

    @Test
    @DisplayName("R15/R10: a hold re-INVITE (new o= version) reaches the route as event offer; its reply is the 200's"
                 + " SDP and our SDP from then on; a re-INVITE with the same o= again is only a refresh")
    void offerReachesRoute() throws Exception {
        startWithOfferRoute("sessionExpires=30", ROUTE_ANSWER);
        MockEndpoint offers = getMockEndpoint(OFFERS);
        offers.expectedMessageCount(1);
        offers.expectedBodiesReceived(HOLD);
        PeerCall call = answeredCall("30");

        call.reInviteWith(HOLD, "Session-Expires: 30;refresher=uac", TIMER);
        Received ok = okTo("INVITE", call.callId());
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo(ROUTE_ANSWER);
        assertThat(ok.headers("Session-Expires")).as("R10: negotiated as any refresh").containsExactly("30;refresher=uac");
        assertThat(expectEvent("refresh-received", call.callId(), SHORT).reason()).isEqualTo("INVITE");
        offers.assertIsSatisfied(SHORT.toMillis());
        Exchange seen = offers.getReceivedExchanges().get(0);
        assertThat(seen.getMessage().getHeader(SessionTimerConstants.CALL_ID)).isEqualTo(call.callId());

        call.reInviteWith(HOLD, "Session-Expires: 30;refresher=uac", TIMER); // same o= version: a refresh
        Received refreshOk = okTo("INVITE", call.callId());
        assertThat(refreshOk.status()).isEqualTo(200);
        assertThat(refreshOk.sdpOrigin()).as("the answer is our SDP now, same version")
                .isEqualTo("o=camel 1001 1002 IN IP4 127.0.0.1");
        expectEvent("refresh-received", call.callId(), SHORT);
        offers.assertIsSatisfied(300); // still the one offer

        call.bye();
        peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE");
    }

    @Test
    @DisplayName("R15/R11: an offer the route rejects with 488 is no refresh: the call goes on, and ends at the expiry"
                 + " the earlier refresh set")
    void rejectedOfferRestartsNoTimer() throws Exception {
        startWithOfferRoute("sessionExpires=6", "488");
        PeerCall call = answeredCall("6");
        long answered = System.nanoTime();

        // a refresh at 1.5 s would move the expiry from about 4 s to about 5.5 s after the 200
        peer.schedule(Duration.ofMillis(1500), () -> call.reInviteWith(HOLD, "Session-Expires: 6;refresher=uac", TIMER));
        Received rejected = okTo("INVITE", call.callId());
        assertThat(rejected.status()).isEqualTo(488);
        assertThat(getMockEndpoint(OFFERS).getReceivedCounter()).isEqualTo(1);

        Received bye = peer.expect(request("BYE", call.callId()), Duration.ofSeconds(8), "BYE at the expiry");
        // R9: expiry at SE - min(32, SE/3) = 4 s after the 200, not moved by the rejected offer
        assertThat(millisBetween(answered, bye.nanos())).isBetween(3500L, 5000L);
        assertThat(allEvents()).noneMatch(e -> e.event().equals("refresh-received"));
    }

    @Test
    @DisplayName("R15: no route decides on a call we placed: a hold gets the default answer (a=recvonly, o= version"
                 + " + 1), an m=image-only offer 488 and the call goes on; an UPDATE with the same o= is a refresh")
    void defaultAnswerWithoutRoute() throws Exception {
        startCamel("sessionExpires=30", false);
        peer.respond(Kind.INVITE, Answer.ok().sdp().header("Session-Expires: 30;refresher=uac")
                .header("Require: timer"));
        String callId = callPeerOk("sessionExpires=30", "udp").getMessage()
                .getHeader(SessionTimerConstants.CALL_ID, String.class);
        peer.expect(request("ACK", callId), SHORT, "ACK");
        PeerCall call = peer.callById(callId);

        call.reInviteWith(HOLD, TIMER);
        Received ok = okTo("INVITE", callId);
        assertThat(ok.status()).isEqualTo(200);
        List<String> lines = List.of(ok.body().split("\r\n"));
        assertThat(lines).contains("o=camel 1001 1002 IN IP4 127.0.0.1", "m=audio 30000 RTP/AVP 0", "a=recvonly")
                .doesNotContain("a=sendrecv");
        expectEvent("refresh-received", callId, SHORT);

        call.reInviteWith(T38, TIMER);
        assertThat(okTo("INVITE", callId).status()).as("nothing of the offer acceptable").isEqualTo(488);

        call.updateWith(HOLD, TIMER); // the session stayed at the hold: a refresh, answered with our last answer
        Received updated = okTo("UPDATE", callId);
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.sdpOrigin()).isEqualTo("o=camel 1001 1002 IN IP4 127.0.0.1");

        hangup(callId);
        peer.expect(request("BYE", callId), SHORT, "BYE");
    }

    @Test
    @DisplayName("R15: an offerless re-INVITE gets our SDP as offer in the 200; the answer in the ACK is the event"
                 + " answer, and the o= the peer's from then on")
    void offerlessReInvite() throws Exception {
        startWithOfferRoute("sessionExpires=30", ROUTE_ANSWER);
        PeerCall call = answeredCall("30");

        String answer = HOLD.replace("4711 4712", "4711 4714");
        peer.ackWithBody(answer);
        call.reInviteWith(null, "Session-Expires: 30;refresher=uac", TIMER);
        Received ok = okTo("INVITE", call.callId());
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).as("our current SDP as the offer").isEqualTo(OUR_SDP);
        expectEvent("answer", call.callId(), SHORT);
        assertThat(eventBody("answer")).isEqualTo(answer);

        call.reInviteWith(answer, "Session-Expires: 30;refresher=uac", TIMER); // the o= of its ACK: a refresh
        assertThat(okTo("INVITE", call.callId()).body()).isEqualTo(OUR_SDP);
        assertThat(getMockEndpoint(OFFERS).getReceivedCounter()).as("no offer").isZero();

        call.bye();
        peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE");
    }

    @Test
    @DisplayName("R15: the answer in the ACK of a call set up without an offer (delayed offer) is the event answer")
    void delayedOfferAnswerInAck() throws Exception {
        startWithOfferRoute("sessionExpires=30", ROUTE_ANSWER);
        peer.ackWithBody(ScriptedSipPeer.PEER_SDP);
        PeerCall call = peer.callWithBody(ourUri(), "udp", null, "Session-Expires: 30;refresher=uac", TIMER);
        assertThat(call.awaitFinalResponse(CALL_SETUP).body()).as("our offer").isEqualTo(OUR_SDP);
        expectEvent("answer", call.callId(), SHORT);
        assertThat(eventBody("answer")).isEqualTo(ScriptedSipPeer.PEER_SDP);

        call.reInvite("Session-Expires: 30;refresher=uac", TIMER); // the o= of the ACK: a refresh, not an offer
        assertThat(okTo("INVITE", call.callId()).body()).isEqualTo(OUR_SDP);
        assertThat(getMockEndpoint(OFFERS).getReceivedCounter()).isZero();

        call.bye();
        peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE");
    }

    /** The body of the first event of this kind. */
    String eventBody(String event) {
        return events().getReceivedExchanges().stream()
                .filter(e -> event.equals(e.getMessage().getHeader(SessionTimerConstants.EVENT))).findFirst()
                .orElseThrow().getMessage().getBody(String.class);
    }

    @Test
    @DisplayName("R15: a 183 with SDP to a call we place is the event early-media, with the SDP as body")
    void earlyMedia() throws Exception {
        startCamel("sessionExpires=30", false);
        peer.respond(Kind.INVITE, Answer.ok().sdp().after(183, ScriptedSipPeer.PEER_SDP));
        String callId = callPeerOk("sessionExpires=30", "udp").getMessage()
                .getHeader(SessionTimerConstants.CALL_ID, String.class);
        CallEventRecord early = expectEvent("early-media", callId, SHORT);
        assertThat(early.reason()).startsWith("183");
        assertThat(eventBody("early-media")).isEqualTo(ScriptedSipPeer.PEER_SDP);
        hangup(callId);
        peer.expect(request("BYE", callId), SHORT, "BYE");
    }
}
