package org.sessiontimer.camel;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.ThreadPoolProfile;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.sessiontimer.camel.ScriptedSipPeer.PeerCall;
import org.sessiontimer.camel.ScriptedSipPeer.Received;
import org.sessiontimer.camel.limits.Limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.sessiontimer.camel.ScriptedSipPeer.finalResponse;
import static org.sessiontimer.camel.ScriptedSipPeer.request;
import static org.sessiontimer.camel.ScriptedSipPeer.response;

/** The limits on new calls, each answering on the wire, and the shedding of new calls when the route is busy. */
class LimitsComponentTest extends SessionTimerTestSupport {

    @Test
    @DisplayName("maxSessions: beyond it a new INVITE gets 503 with Retry-After; room again once a call ended")
    void maxSessions() throws Exception {
        startWithLimits(c -> {
            c.setMaxSessions(1);
            c.setMaxSessionsRetryAfter(7);
        });
        PeerCall first = peer.call(ourUri(), "udp");
        assertThat(first.awaitFinalResponse(CALL_SETUP).status()).isEqualTo(200);
        Received refused = peer.call(ourUri(), "udp").awaitFinalResponse(CALL_SETUP);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.reasonPhrase()).isEqualTo("Service Unavailable (session limit)");
        assertThat(refused.header("Retry-After")).isEqualTo("7");
        endByPeer(first);
        PeerCall again = peer.call(ourUri(), "udp");
        assertThat(again.awaitFinalResponse(CALL_SETUP).status()).isEqualTo(200);
        endByPeer(again);
        assertThat(component.getLimitStats().count(Limit.MAX_SESSIONS)).isEqualTo(1);
    }

    @Test
    @DisplayName("maxCallsPerSecond: INVITEs beyond the rate get 503 at once, the others are answered")
    void callRate() throws Exception {
        startWithLimits(c -> c.setMaxCallsPerSecond(1));
        List<PeerCall> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(peer.call(ourUri(), "udp"));
        }
        int answered = 0;
        for (PeerCall call : calls) {
            Received answer = call.awaitFinalResponse(CALL_SETUP);
            if (answer.status() == 200) {
                answered++;
                endByPeer(call);
            } else {
                assertThat(answer.status()).isEqualTo(503);
                assertThat(answer.reasonPhrase()).isEqualTo("Service Unavailable (call rate limit)");
            }
        }
        // one token at once, and one more only if sending took a second on a busy machine
        assertThat(answered).isBetween(1, 2);
        assertThat(component.getLimitStats().count(Limit.CALL_RATE)).isEqualTo(4 - answered);
    }

    @Test
    @DisplayName("maxCallsPerSecondPerSource with reject: the source beyond its rate gets 503")
    void sourceRateReject() throws Exception {
        startWithLimits(c -> c.setMaxCallsPerSecondPerSource(1));
        PeerCall one = peer.call(ourUri(), "udp");
        PeerCall other = peer.call(ourUri(), "udp");
        Received oneAnswer = one.awaitFinalResponse(CALL_SETUP);
        Received otherAnswer = other.awaitFinalResponse(CALL_SETUP);
        // the agent may take the two on different threads: which one comes first is not ours to say
        Received refused = oneAnswer.status() == 200 ? otherAnswer : oneAnswer;
        assertThat(List.of(oneAnswer.status(), otherAnswer.status())).containsExactlyInAnyOrder(200, 503);
        assertThat(refused.reasonPhrase()).isEqualTo("Service Unavailable (source call rate limit)");
        endByPeer(oneAnswer.status() == 200 ? one : other);
        assertThat(component.getLimitStats().count(Limit.SOURCE_CALL_RATE)).isEqualTo(1);
    }

    @Test
    @DisplayName("maxCallsPerSecondPerSource with drop: no answer at all (not even 100 Trying), the agent still answers OPTIONS")
    void sourceRateDrop() throws Exception {
        startWithLimits(c -> {
            c.setMaxCallsPerSecondPerSource(1);
            c.setSourceRateAction("drop");
        });
        PeerCall first = peer.call(ourUri(), "tcp"); // TCP: no retransmission that a refilled bucket would admit
        assertThat(first.awaitFinalResponse(CALL_SETUP).status()).isEqualTo(200);
        PeerCall dropped = peer.call(ourUri(), "tcp");
        peer.expectNone(r -> !r.isRequest() && dropped.callId().equals(r.callId()), Duration.ofMillis(1500),
                "an answer to the dropped INVITE");
        String options = peer.sendOutOfDialog("OPTIONS", ourUri(), "tcp", false);
        assertThat(peer.expect(finalResponse("OPTIONS", options), SHORT, "200 to OPTIONS").status()).isEqualTo(200);
        endByPeer(first);
        assertThat(component.getLimitStats().count(Limit.SOURCE_CALL_RATE)).isEqualTo(1);
    }

    @Test
    @DisplayName("allowedSources: an INVITE from elsewhere gets 403; OPTIONS is still answered")
    void allowedSourcesReject() throws Exception {
        startWithLimits(c -> c.setAllowedSources("10.0.0.0/8, 2001:db8::/32"));
        Received refused = peer.call(ourUri(), "udp").awaitFinalResponse(CALL_SETUP);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.reasonPhrase()).isEqualTo("Forbidden (source not allowed)");
        String options = peer.sendOutOfDialog("OPTIONS", ourUri(), "udp", false);
        assertThat(peer.expect(finalResponse("OPTIONS", options), SHORT, "200 to OPTIONS").status()).isEqualTo(200);
        assertThat(component.getLimitStats().count(Limit.SOURCE_NOT_ALLOWED)).isEqualTo(1);
    }

    @Test
    @DisplayName("allowedSources with drop: an INVITE from elsewhere gets nothing back; its source is allowed OPTIONS")
    void allowedSourcesDrop() throws Exception {
        startWithLimits(c -> {
            c.setAllowedSources("10.0.0.0/8");
            c.setDisallowedSourceAction("drop");
        });
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            send(socket, rawRequest("INVITE", socket.getLocalPort()));
            assertThat(receive(socket, Duration.ofMillis(1500))).as("answer to a dropped INVITE").isNull();
            send(socket, rawRequest("OPTIONS", socket.getLocalPort()));
            assertThat(receive(socket, SHORT)).as("answer to OPTIONS").startsWith("SIP/2.0 200");
        }
        assertThat(component.getLimitStats().count(Limit.SOURCE_NOT_ALLOWED)).isEqualTo(1);
    }

    @Test
    @DisplayName("allowedSources: a listed source is taken as before")
    void allowedSourceTaken() throws Exception {
        startWithLimits(c -> c.setAllowedSources("10.0.0.0/8,127.0.0.1"));
        PeerCall call = peer.call(ourUri(), "udp");
        assertThat(call.awaitFinalResponse(CALL_SETUP).status()).isEqualTo(200);
        endByPeer(call);
        assertThat(component.getLimitStats().count(Limit.SOURCE_NOT_ALLOWED)).isZero();
    }

    @Test
    @DisplayName("maxSessionDuration: a call without a session timer is ended with BYE when it reaches the limit")
    void maxSessionDuration() throws Exception {
        startWithLimits(c -> c.setMaxSessionDuration(2));
        PeerCall call = peer.call(ourUri(), "udp"); // no Supported: timer, mode optional: no timer (S6)
        Received ok = call.awaitFinalResponse(CALL_SETUP);
        assertThat(ok.headers("Session-Expires")).isEmpty();
        Received bye = peer.expect(request("BYE", call.callId()), Duration.ofSeconds(5), "our BYE");
        assertThat(millisBetween(ok.nanos(), bye.nanos())).isBetween(1500L, 3500L);
        assertThat(expectEvent("ended", call.callId(), SHORT).reason()).contains("maxSessionDuration 2 s reached");
        assertThat(component.getLimitStats().count(Limit.MAX_SESSION_DURATION)).isEqualTo(1);
    }

    @Test
    @DisplayName("maxSessionDuration: a call with a running session timer is left to its timer")
    void maxSessionDurationSparesTimerCalls() throws Exception {
        startWithLimits(c -> c.setMaxSessionDuration(2));
        PeerCall call = peer.call(ourUri(), "udp", "Supported: timer", "Session-Expires: 4;refresher=uas");
        assertThat(call.awaitFinalResponse(CALL_SETUP).status()).isEqualTo(200);
        peer.expect(request("INVITE", call.callId()), Duration.ofSeconds(4), "our refresh at SE/2");
        peer.expectNone(request("BYE", call.callId()), Duration.ofSeconds(1), "a BYE of the duration limit");
        endByPeer(call);
        assertThat(component.getLimitStats().count(Limit.MAX_SESSION_DURATION)).isZero();
    }

    @Test
    @DisplayName("a busy answering route sheds new INVITEs with 503; BYE of an established call is answered meanwhile;"
                 + " the route never runs on a SIP thread")
    void overloadShedsNewCalls() throws Exception {
        Queue<String> routeThreads = new ConcurrentLinkedQueue<>();
        CountDownLatch gate = new CountDownLatch(1);
        boolean[] gated = {false};
        String uri = callUri(null);
        startCamel(context -> {
            ThreadPoolProfile pools = context.getExecutorServiceManager().getDefaultThreadPoolProfile();
            pools.setPoolSize(1);
            pools.setMaxPoolSize(1);
            pools.setMaxQueueSize(1);
        }, null, false, new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("slow-answer").process(e -> {
                    routeThreads.add(Thread.currentThread().getName());
                    if (gated[0]) {
                        gate.await(20, TimeUnit.SECONDS);
                    }
                    e.getMessage().setBody(OUR_SDP);
                });
            }
        });
        PeerCall established = peer.call(ourUri(), "udp");
        assertThat(established.awaitFinalResponse(CALL_SETUP).status()).isEqualTo(200);
        gated[0] = true;
        PeerCall running = peer.call(ourUri(), "udp");
        await().atMost(SHORT).until(() -> routeThreads.size() == 2);
        PeerCall queued = peer.call(ourUri(), "udp");
        peer.expect(response(100, "INVITE").and(r -> queued.callId().equals(r.callId())), SHORT, "100 Trying");
        Received shed = peer.call(ourUri(), "udp").awaitFinalResponse(SHORT);
        assertThat(shed.status()).isEqualTo(503);
        assertThat(shed.reasonPhrase()).isEqualTo("Service Unavailable (overloaded)");
        established.bye();
        peer.expect(finalResponse("BYE", established.callId()), SHORT, "200 to BYE while the route is busy");
        gate.countDown();
        assertThat(running.awaitFinalResponse(CALL_SETUP).status()).isEqualTo(200);
        assertThat(queued.awaitFinalResponse(CALL_SETUP).status()).isEqualTo(200);
        endByPeer(running);
        endByPeer(queued);
        assertThat(routeThreads).hasSize(3).noneMatch(LimitsComponentTest::isSipThread);
        assertThat(component.getLimitStats().count(Limit.OVERLOAD)).isEqualTo(1);
    }

    private static boolean isSipThread(String name) {
        return name.contains("UDPMessageChannelThread") || name.contains("PipelineThread")
               || name.contains("EventScannerThread");
    }

    private void startWithLimits(Consumer<SessionTimerComponent> limits) throws Exception {
        startCamel(context -> limits.accept(context.getComponent("session-timer", SessionTimerComponent.class)),
                null, true);
    }

    private void endByPeer(PeerCall call) throws Exception {
        call.bye();
        peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE");
    }

    private String rawRequest(String method, int localPort) {
        return String.join("\r\n",
                method + " " + ourUri() + " SIP/2.0",
                "Via: SIP/2.0/UDP 127.0.0.1:" + localPort + ";branch=z9hG4bK-" + method + System.nanoTime(),
                "Max-Forwards: 70",
                "From: <sip:scanner@127.0.0.1>;tag=1",
                "To: " + "<" + ourUri() + ">",
                "Call-ID: " + method + "-" + System.nanoTime() + "@127.0.0.1",
                "CSeq: 1 " + method,
                "Contact: <sip:scanner@127.0.0.1:" + localPort + ">",
                "Content-Length: 0", "", "");
    }

    private void send(DatagramSocket socket, String message) throws Exception {
        byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
        socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
    }

    /** The first datagram within the timeout, or null. */
    private static String receive(DatagramSocket socket, Duration timeout) throws Exception {
        socket.setSoTimeout((int) timeout.toMillis());
        byte[] buffer = new byte[65535];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
    }
}
