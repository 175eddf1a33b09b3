package org.sessiontimer.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.sessiontimer.camel.ScriptedSipPeer.Answer;
import org.sessiontimer.camel.ScriptedSipPeer.Kind;
import org.sessiontimer.camel.ScriptedSipPeer.PeerCall;
import org.sessiontimer.camel.ScriptedSipPeer.Received;
import org.sessiontimer.camel.store.SessionStore;
import org.sessiontimer.camel.store.StoreCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.sessiontimer.camel.ScriptedSipPeer.finalResponse;
import static org.sessiontimer.camel.ScriptedSipPeer.request;

/**
 * The call logic of a cluster, two nodes in one JVM over a {@link StoreCluster}: a call survives the loss of the node
 * that holds it (K2), any node answers its in-dialog requests (K3), and only the owner ever sends (K1, K4). The
 * replicated store itself (Infinispan) and the front door (Kamailio) are proven by the integration tests; here the
 * peer plays the front door by sending a request to the other node ({@link PeerCall#sendTo}).
 */
class ClusterTakeoverComponentTest extends SessionTimerTestSupport {

    /** Session-Expires 4: refresh at 2 s, expiry at 2.667 s. */
    /** Every node has credentials: they are its own, no node reads them from the store (R13). */
    private static final String OPTIONS = "sessionExpires=4&authUsername=alice&authPassword=secret";
    private static final long EARLY_MS = 150;
    private static final long LATE_MS = 900;

    private final StoreCluster cluster = new StoreCluster();
    private final List<Node> nodes = new ArrayList<>();

    /** One node of the cluster: a Camel context answering calls on its own port. */
    final class Node {
        final String name;
        final int sipPort = AvailablePortFinder.getNextAvailable();
        final SessionStore store;
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        /** The component's maxSessionDuration, seconds; 0: none. */
        long maxSessionDuration;
        CamelContext camel;

        Node(String name) {
            this.name = name;
            this.store = cluster.node(name);
        }

        Node start() throws Exception {
            camel = new DefaultCamelContext();
            camel.getRegistry().bind("sessionStore", store);
            camel.getComponent("session-timer", SessionTimerComponent.class).setMaxSessionDuration(maxSessionDuration);
            String uri = "session-timer:call?port=" + sipPort + "&" + LAB + "&minSe=2&" + OPTIONS;
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).process(e -> e.getMessage().setBody(OUR_SDP));
                    from("session-timer:events").process(e -> events.add(
                            e.getMessage().getHeader(SessionTimerConstants.EVENT, String.class) + " "
                            + e.getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class)));
                }
            });
            camel.start();
            return this;
        }

        SessionTimerComponent component() {
            return camel.getComponent("session-timer", SessionTimerComponent.class);
        }

        String uri() {
            return "sip:camel@127.0.0.1:" + sipPort;
        }

        /** The node dies: it stops holding its calls without a word to anyone, and leaves the cluster's view. */
        void crash() {
            camel.stop();
            cluster.crash(name);
        }

        int activeSessions() {
            return camel.isStopped() ? 0 : component().getActiveSessionCount();
        }
    }

    /** The peer calls the node with Session-Expires 4 and this refresher; returns the call once answered. */
    private PeerCall callInto(Node node, String refresher, String transport) throws Exception {
        PeerCall call = peer.call(node.uri(), transport, "Session-Expires: 4;refresher=" + refresher, "Supported: timer");
        Received ok = call.awaitFinalResponse(CALL_SETUP);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.headers("Session-Expires")).containsExactly("4;refresher=" + refresher);
        return call;
    }

    /** What a node answers to the OPTIONS probe of a front door. */
    private int optionsStatus(Node node) throws Exception {
        String callId = peer.sendOutOfDialog("OPTIONS", node.uri(), "udp", false);
        return peer.expect(finalResponse("OPTIONS", callId), SHORT, "answer to OPTIONS").status();
    }

    private Node node(String name) throws Exception {
        return node(name, 0);
    }

    private Node node(String name, long maxSessionDuration) throws Exception {
        Node node = new Node(name);
        node.maxSessionDuration = maxSessionDuration;
        nodes.add(node.start());
        return node;
    }

    @AfterEach
    void nothingLeftInTheCluster() {
        try {
            for (Node node : nodes) {
                await("no session left on " + node.name).atMost(10, TimeUnit.SECONDS)
                        .pollInterval(Duration.ofMillis(50)).until(() -> node.activeSessions() == 0);
                if (!node.camel.isStopped()) {
                    await("no timer left on " + node.name).atMost(5, TimeUnit.SECONDS)
                            .pollInterval(Duration.ofMillis(50)).until(() -> node.component().getScheduledTimerCount() == 0);
                }
            }
            await("the store empty").atMost(5, TimeUnit.SECONDS).until(() -> cluster.size() == 0);
        } finally {
            nodes.forEach(node -> node.camel.stop());
        }
    }

    @Test
    @DisplayName("K2/K1: the node that answered dies before its refresh: the other sends exactly one refresh on time, "
                 + "with its own Contact, and the call lives on")
    void ownerDiesBeforeRefresh() throws Exception {
        Node a = node("a");
        Node b = node("b");
        PeerCall call = peer.call(a.uri(), "udp", "Session-Expires: 4;refresher=uas", "Supported: timer");
        Received ok = call.awaitFinalResponse(CALL_SETUP);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(cluster.get(call.callId()).owner()).isEqualTo("a");

        a.crash();
        Received refresh = peer.expect(request("INVITE", call.callId()), Duration.ofSeconds(4), "refresh from b");
        assertThat(millisBetween(ok.nanos(), refresh.nanos())).as("R1: still at SE/2 from the 2xx")
                .isBetween(2000 - EARLY_MS, 2000 + LATE_MS);
        assertThat(refresh.header("Via")).contains(":" + b.sipPort);
        assertThat(refresh.header("Contact")).as("target refresh to the adopting node").contains(":" + b.sipPort);
        assertThat(refresh.cseq()).as("our first request in the dialog").isEqualTo(1);
        assertThat(refresh.sdpOrigin()).as("the stored session description").isEqualTo("o=camel 1001 1001 IN IP4 127.0.0.1");
        assertThat(refresh.headers("Session-Expires")).containsExactly("4;refresher=uac");
        assertThat(b.events.poll(5, TimeUnit.SECONDS)).isEqualTo("adopted " + call.callId());
        assertThat(b.component().getCallsTakenOver()).isEqualTo(1);
        peer.expect(r -> r.isRequest() && r.method().equals("ACK") && r.cseq() == 1, Duration.ofSeconds(2),
                "ACK of the refresh's 2xx from b");
        peer.expectNone(request("INVITE", call.callId()), Duration.ofMillis(1500), "a second refresh within SE/2");
        assertThat(cluster.get(call.callId()).owner()).isEqualTo("b");

        call.bye();
        peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE from b");
        assertThat(peer.history().stream().filter(r -> r.isRequest() && r.method().equals("BYE"))).isEmpty();
    }

    @Test
    @DisplayName("K2/R16: the node that refreshes dies with its re-INVITE answered 2xx but not ACKed: the other ACKs "
                 + "that 2xx, then refreshes, and the call lives on")
    void ownerDiesWithRefreshInFlight() throws Exception {
        Node a = node("a");
        Node b = node("b");
        // SE 20 (refresh at 10 s, expiry at 13.3 s): a's stop takes about a second, the adoption must come before the expiry
        PeerCall call = peer.call(a.uri(), "udp", "Session-Expires: 20;refresher=uas", "Supported: timer");
        assertThat(call.awaitFinalResponse(CALL_SETUP).headers("Session-Expires")).containsExactly("20;refresher=uas");
        // a dies while its refresh is with the peer: its socket closes first, so the 2xx goes to a dead port (and is
        // retransmitted there); the cluster sees a leave only once the 2xx is out, as it would see a SIGKILLed node
        peer.respondNext(Kind.REINVITE, request -> {
            a.camel.stop();
            peer.schedule(Duration.ofMillis(300), () -> cluster.crash(a.name));
            return Answer.refreshOk(request);
        });

        Received inFlight = peer.expect(request("INVITE", call.callId()), Duration.ofSeconds(12), "refresh from a");
        assertThat(inFlight.header("Via")).contains(":" + a.sipPort);
        Received ack = peer.expect(r -> r.isRequest() && r.method().equals("ACK") && r.cseq() == inFlight.cseq(),
                Duration.ofSeconds(3), "b's ACK of the 2xx to a's refresh");
        assertThat(ack.header("Via")).contains(":" + b.sipPort);
        Received refresh = peer.expect(request("INVITE", call.callId()), SHORT, "b's own refresh");
        assertThat(refresh.nanos()).as("the ACK goes first").isGreaterThan(ack.nanos());
        assertThat(refresh.cseq()).isEqualTo(inFlight.cseq() + 1);
        assertThat(refresh.header("Via")).contains(":" + b.sipPort);
        peer.expect(r -> r.isRequest() && r.method().equals("ACK") && r.cseq() == refresh.cseq(), SHORT,
                "ACK of the 2xx to b's refresh");
        await().atMost(2, TimeUnit.SECONDS).until(() -> cluster.get(call.callId()).reinviteInFlight() == 0);

        call.bye();
        peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE from b");
    }

    @Test
    @DisplayName("K2/K3: the caller never got the 2xx of the node that answered and died: its retransmitted INVITE, "
                 + "sent to the other node, gets that 2xx again (same To tag, the stored SDP), not 482")
    void inviteRetransmittedAfterCrash() throws Exception {
        Node a = node("a");
        Node b = node("b");
        try (RawSipPeer caller = new RawSipPeer()) {
            String callId = "lost-2xx-" + System.nanoTime() + "@127.0.0.1";
            String invite = rawInvite(caller, callId);
            caller.send(invite, a.sipPort);
            String lost = caller.expectResponse(r -> r.startsWith("SIP/2.0 200"), CALL_SETUP, "200 from a");
            a.crash();
            await("b holds the call").atMost(5, TimeUnit.SECONDS).until(() -> b.activeSessions() == 1);

            caller.send(invite, b.sipPort);
            String again = caller.expectResponse(r -> r.startsWith("SIP/2.0 "), SHORT, "b's answer to the INVITE");
            assertThat(again).startsWith("SIP/2.0 200");
            assertThat(toTag(again)).isEqualTo(toTag(lost));
            assertThat(again).contains("o=camel 1001 1001 IN IP4 127.0.0.1").contains(":" + b.sipPort);
            assertThat(header(again, "Session-Expires")).isEqualTo(header(lost, "Session-Expires"));

            String dialog = "From: <sip:raw@127.0.0.1>;tag=raw-1\r\nTo: <sip:camel@127.0.0.1>;tag=" + toTag(lost)
                            + "\r\nCall-ID: " + callId + "\r\n";
            caller.send("ACK sip:camel@127.0.0.1:" + b.sipPort + " SIP/2.0\r\n" + via(caller) + dialog
                        + "CSeq: 1 ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n", b.sipPort);
            caller.send("BYE sip:camel@127.0.0.1:" + b.sipPort + " SIP/2.0\r\n" + via(caller) + dialog
                        + "CSeq: 2 BYE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n", b.sipPort);
            assertThat(caller.expectResponse(r -> r.contains("CSeq: 2 BYE"), SHORT, "answer to BYE"))
                    .startsWith("SIP/2.0 200");
        }
    }

    /** An INVITE as a caller retransmits it, byte for byte: SE 20, the caller refreshes. */
    private static String rawInvite(RawSipPeer caller, String callId) {
        String sdp = ScriptedSipPeer.PEER_SDP;
        return "INVITE sip:camel@127.0.0.1 SIP/2.0\r\n" + via(caller)
               + "Max-Forwards: 70\r\nFrom: <sip:raw@127.0.0.1>;tag=raw-1\r\nTo: <sip:camel@127.0.0.1>\r\n"
               + "Call-ID: " + callId + "\r\nCSeq: 1 INVITE\r\nContact: <" + caller.uri() + ">\r\n"
               + "Supported: timer\r\nSession-Expires: 20;refresher=uac\r\nContent-Type: application/sdp\r\n"
               + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
    }

    private static String via(RawSipPeer caller) {
        return "Via: SIP/2.0/UDP 127.0.0.1:" + caller.port() + ";branch=z9hG4bK-" + Long.toHexString(System.nanoTime())
               + "\r\n";
    }

    private static String header(String message, String name) {
        return new RawSipPeer.Request(message, null).header(name);
    }

    private static String toTag(String message) {
        return new RawSipPeer.Request(message, null).toTag();
    }

    @Test
    @DisplayName("R13/K2: the node that took a call over answers a challenge to its refresh with its own credentials,"
                 + " CSeq + 1 reserved in the store")
    void adoptedCallAnswersChallenge() throws Exception {
        Node a = node("a");
        Node b = node("b");
        PeerCall call = peer.call(a.uri(), "udp", "Session-Expires: 4;refresher=uas", "Supported: timer");
        assertThat(call.awaitFinalResponse(CALL_SETUP).status()).isEqualTo(200);
        peer.respondNext(Kind.REINVITE, Answer.status(401)
                .header("WWW-Authenticate: Digest realm=\"lab\", nonce=\"4711cafe\", qop=\"auth\""));

        a.crash();
        Received first = peer.expect(request("INVITE", call.callId()), Duration.ofSeconds(4), "refresh from b");
        Received again = peer.expect(request("INVITE", call.callId()), SHORT, "the refresh with credentials");
        assertThat(first.header("Authorization")).isNull();
        assertThat(again.header("Authorization")).contains("username=\"alice\"").contains("nonce=\"4711cafe\"");
        assertThat(again.header("Via")).contains(":" + b.sipPort);
        assertThat(again.cseq()).isEqualTo(first.cseq() + 1);
        assertThat(again.headers("Session-Expires")).isEqualTo(first.headers("Session-Expires"));
        assertThat(cluster.get(call.callId()).localCSeq()).as("K1: reserved before it went").isEqualTo(again.cseq());

        call.bye();
        peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE from b");
    }

    @Test
    @DisplayName("K2/R9: the peer refreshes and stops once the node is dead: the other node sends BYE at the expiry")
    void peerStopsRefreshingAfterCrash() throws Exception {
        Node a = node("a");
        Node b = node("b");
        PeerCall call = peer.call(a.uri(), "tcp", "Session-Expires: 4;refresher=uac", "Supported: timer");
        Received ok = call.awaitFinalResponse(CALL_SETUP);
        assertThat(ok.headers("Session-Expires")).containsExactly("4;refresher=uac");

        a.crash();
        Received bye = peer.expect(request("BYE", call.callId()), Duration.ofSeconds(5), "BYE at expiry from b");
        assertThat(millisBetween(ok.nanos(), bye.nanos())).as("R9: SE - SE/3 = 2667 ms after the 2xx")
                .isBetween(2667 - EARLY_MS, 2667 + LATE_MS);
        assertThat(bye.header("Via")).contains(":" + b.sipPort);
        assertThat(bye.cseq()).isEqualTo(1);
        await().atMost(5, TimeUnit.SECONDS).until(() -> b.activeSessions() == 0 && cluster.size() == 0);
    }

    @Test
    @DisplayName("K2: a call without a session timer taken over keeps the age it had: maxSessionDuration ends it when it"
                 + " began that long ago, not that long after the take-over")
    void adoptedCallKeepsItsAge() throws Exception {
        Node a = node("a", 3);
        Node b = node("b", 3);
        PeerCall call = peer.call(a.uri(), "udp"); // no Supported: timer, mode optional: no timer (S6)
        Received ok = call.awaitFinalResponse(CALL_SETUP);
        assertThat(ok.headers("Session-Expires")).isEmpty();
        await("half its allowed life on a").atMost(5, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(20))
                .until(() -> millisBetween(ok.nanos(), System.nanoTime()) >= 1500);
        a.crash();
        Received bye = peer.expect(request("BYE", call.callId()), Duration.ofSeconds(6), "BYE of the duration limit");
        assertThat(bye.header("Via")).contains(":" + b.sipPort);
        assertThat(millisBetween(ok.nanos(), bye.nanos())).as("3 s after the call began, not 3 s after the take-over")
                .isBetween(3000 - EARLY_MS, 3000 + LATE_MS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> b.activeSessions() == 0 && cluster.size() == 0);
    }

    @Test
    @DisplayName("K3/K1: the peer's BYE reaches a node that did not create the call: 200, not 481; the creator, alive, "
                 + "then sends nothing")
    void byeAtAnotherNode() throws Exception {
        Node a = node("a");
        Node b = node("b");
        PeerCall call = callInto(a, "uas", "udp");

        call.sendTo(b.uri()).bye();
        Received answer = peer.expect(finalResponse("BYE", call.callId()), SHORT, "answer to BYE from b");
        assertThat(answer.status()).isEqualTo(200);
        await("the record removed").atMost(2, TimeUnit.SECONDS).until(() -> cluster.size() == 0);
        // b's claim told a at once: a drops the call long before its refresh, and never sends it
        await().atMost(1, TimeUnit.SECONDS).until(() -> a.activeSessions() == 0);
        peer.expectNone(request("INVITE", call.callId()), Duration.ofMillis(3000), "a refresh from a");
    }

    @Test
    @DisplayName("K1/R12: removing an ended call's record, a network round trip in a cluster, holds up no message: the "
                 + "200 to the peer's BYE goes out at once, and other calls are answered meanwhile")
    void recordRemovalHoldsUpNoMessage() throws Exception {
        Node a = node("a");
        CountDownLatch removals = cluster.holdRemovals();
        PeerCall first = callInto(a, "uac", "udp");
        first.bye();
        Received answer = peer.expect(finalResponse("BYE", first.callId()), Duration.ofSeconds(2), "answer to BYE");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(a.activeSessions()).as("the call is over at once").isZero();
        assertThat(cluster.get(first.callId())).as("its record, still being removed").isNotNull();

        PeerCall second = callInto(a, "uac", "udp");
        second.bye();
        assertThat(peer.expect(finalResponse("BYE", second.callId()), Duration.ofSeconds(2), "answer to BYE").status())
                .isEqualTo(200);
        removals.countDown();
        await("both records removed").atMost(5, TimeUnit.SECONDS).until(() -> cluster.size() == 0);
    }

    @Test
    @DisplayName("K3/K1/R10: the peer's refresh reaches another node: 200 with the stored SDP, that node owns the call "
                 + "from then on, and the creator sends neither refresh nor BYE")
    void refreshAtAnotherNode() throws Exception {
        Node a = node("a");
        Node b = node("b");
        PeerCall call = callInto(a, "uac", "udp");

        call.sendTo(b.uri()).reInvite("Session-Expires: 4;refresher=uac", "Supported: timer");
        Received ok = peer.expect(r -> !r.isRequest() && r.status() == 200 && r.cseq() == 2, SHORT, "200 to re-INVITE");
        assertThat(ok.sdpOrigin()).isEqualTo("o=camel 1001 1001 IN IP4 127.0.0.1");
        assertThat(ok.header("Contact")).contains(":" + b.sipPort);
        // recorded right after the 200 leaves
        await().atMost(2, TimeUnit.SECONDS).until(() -> cluster.get(call.callId()).remoteCSeq() == 2);
        assertThat(cluster.get(call.callId()).owner()).isEqualTo("b");

        await().atMost(1, TimeUnit.SECONDS).until(() -> a.activeSessions() == 0);
        // a's expiry (2.667 s after the 2xx) passes: no BYE from anyone, the refresh moved the expiry at b
        peer.expectNone(request("BYE", call.callId()), Duration.ofMillis(2000), "a BYE from a");
        call.sendTo(null).bye();
        peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE from b");
    }

    @Test
    @DisplayName("K2/C5: the node that placed the call dies: the other refreshes with the dialog's tags and CSeq + 1, "
                 + "and hangs up with CSeq + 2")
    void callerDies() throws Exception {
        Node a = node("a");
        Node b = node("b");
        peer.respond(Kind.INVITE, Answer.ok().sdp().header("Session-Expires: 4;refresher=uac").header("Require: timer"));
        Exchange placed = a.camel.createProducerTemplate().request(
                "session-timer:call?port=" + a.sipPort + "&" + LAB + "&minSe=2&" + OPTIONS, e -> {
                    e.getMessage().setBody(OUR_SDP);
                    e.getMessage().setHeader(SessionTimerConstants.TO, peer.uri("udp"));
                });
        assertThat(placed.getException()).isNull();
        String callId = placed.getMessage().getHeader(SessionTimerConstants.CALL_ID, String.class);
        Received invite = peer.expect(request("INVITE", callId), SHORT, "INVITE");

        a.crash();
        Received refresh = peer.expect(request("INVITE", callId), Duration.ofSeconds(4), "refresh from b");
        assertThat(refresh.header("Via")).contains(":" + b.sipPort);
        assertThat(refresh.fromTag()).isEqualTo(invite.fromTag());
        assertThat(refresh.header("To")).contains("tag=");
        assertThat(refresh.cseq()).isEqualTo(invite.cseq() + 1);
        assertThat(refresh.headers("Min-SE")).as("C5").containsExactly("2");
        assertThat(refresh.sdpOrigin()).isEqualTo(invite.sdpOrigin());
        await().atMost(5, TimeUnit.SECONDS).until(() -> cluster.get(callId) != null
                                                        && cluster.get(callId).localCSeq() == invite.cseq() + 1);

        b.camel.createProducerTemplate().sendBodyAndHeader("session-timer:bye", null, SessionTimerConstants.CALL_ID,
                callId);
        Received bye = peer.expect(request("BYE", callId), SHORT, "BYE from b");
        assertThat(bye.cseq()).isEqualTo(invite.cseq() + 2);
    }

    @Test
    @DisplayName("K4: a node cut off from the cluster drops its calls, sends nothing and answers OPTIONS 503; the majority"
                 + " takes them over, and after healing nothing is sent twice")
    void cutOffNode() throws Exception {
        Node a = node("a");
        Node b = node("b");
        PeerCall call = callInto(a, "uas", "udp");

        cluster.isolate("a");
        await().atMost(2, TimeUnit.SECONDS).until(() -> a.activeSessions() == 0);
        assertThat(optionsStatus(a)).as("the front door's probe takes a out of service").isEqualTo(503);
        peer.expect(request("INVITE", call.callId()), Duration.ofSeconds(4), "refresh from b");
        cluster.heal("a", a.store);
        assertThat(optionsStatus(a)).as("and puts it back").isEqualTo(200);
        Received second = peer.expect(request("INVITE", call.callId()), Duration.ofSeconds(4), "next refresh");
        assertThat(second.header("Via")).contains(":" + b.sipPort);
        assertThat(peer.history().stream().filter(r -> r.isRequest() && r.method().equals("INVITE")
                                                        && r.header("Via").contains(":" + a.sipPort))).isEmpty();
        call.bye();
        peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE");
    }
}
