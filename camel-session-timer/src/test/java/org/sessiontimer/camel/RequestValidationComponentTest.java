package org.sessiontimer.camel;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sessiontimer.camel.ScriptedSipPeer.PeerCall;
import org.sessiontimer.camel.ScriptedSipPeer.Received;
import org.sessiontimer.camel.metrics.RejectionReason;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sessiontimer.camel.ScriptedSipPeer.finalResponse;

/**
 * What RFC 3261 §8.2 makes a UAS refuse before it looks at the method: an option tag in Require it does not support
 * (420), another SIP version (505), another Request-URI scheme (416). Requests JAIN-SIP would encode correctly
 * whatever we ask go out as raw datagrams.
 */
class RequestValidationComponentTest extends SessionTimerTestSupport {

    @Test
    @DisplayName("R17: an INVITE requiring an option tag we do not know -> 420 Bad Extension listing it in Unsupported")
    void unknownRequiredOptionTag() throws Exception {
        startCamel("sessionExpires=6");
        PeerCall call = peer.call(ourUri(), "udp", "Require: 100rel, timer", "Supported: timer",
                "Session-Expires: 6");
        Received answer = call.awaitFinalResponse(CALL_SETUP);
        assertThat(answer.status()).isEqualTo(420);
        assertThat(answer.tokens("Unsupported")).containsExactly("100rel");
        assertThat(answer.header("To")).contains("tag=");
        assertThat(component.getStatistics().rejections(RejectionReason.BAD_EXTENSION)).isEqualTo(1);
        assertThat(component.getActiveSessionCount()).isZero();
    }

    @Test
    @DisplayName("R17: in mode off timer is an unknown option tag: Require: timer -> 420 with Unsupported: timer")
    void timerRequiredInModeOff() throws Exception {
        startCamel("sessionExpires=6&mode=off");
        PeerCall call = peer.call(ourUri(), "tcp", "Require: timer", "Supported: timer", "Session-Expires: 6");
        Received answer = call.awaitFinalResponse(CALL_SETUP);
        assertThat(answer.status()).isEqualTo(420);
        assertThat(answer.tokens("Unsupported")).containsExactly("timer");
    }

    @Test
    @DisplayName("R17: Require: timer is answered 200 when timers are on")
    void timerRequiredWhenOn() throws Exception {
        startCamel("sessionExpires=6");
        PeerCall call = peer.call(ourUri(), "udp", "Require: timer", "Supported: timer", "Session-Expires: 6");
        Received answer = call.awaitFinalResponse(CALL_SETUP);
        assertThat(answer.status()).isEqualTo(200);
        call.bye();
        peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE");
    }

    @Test
    @DisplayName("R17: a re-INVITE requiring an unknown option tag -> 420; the call goes on")
    void unknownRequiredOptionTagInDialog() throws Exception {
        startCamel("sessionExpires=6");
        PeerCall call = peer.call(ourUri(), "udp", "Supported: timer", "Session-Expires: 6");
        assertThat(call.awaitFinalResponse(CALL_SETUP).status()).isEqualTo(200);
        call.reInvite("Require: 100rel");
        Received answer = peer.expect(finalResponse("INVITE", call.callId()), SHORT, "answer to the re-INVITE");
        assertThat(answer.status()).isEqualTo(420);
        assertThat(answer.tokens("Unsupported")).containsExactly("100rel");
        assertThat(component.getActiveSessionCount()).isEqualTo(1);
        call.bye();
        assertThat(peer.expect(finalResponse("BYE", call.callId()), SHORT, "200 to BYE").status()).isEqualTo(200);
    }

    @Test
    @DisplayName("a request of another SIP version -> 505 Version Not Supported, no call")
    void otherSipVersion() throws Exception {
        startCamel("sessionExpires=6");
        String answer = sendRaw("sip:camel@127.0.0.1:" + port, "SIP/3.0");
        assertThat(answer).startsWith("SIP/2.0 505 ");
        assertThat(component.getActiveSessionCount()).isZero();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = { "tel:+4930123456", "foo:bar@127.0.0.1", "urn:service:sos" })
    @DisplayName("a Request-URI of a scheme other than sip and sips -> 416 Unsupported URI Scheme")
    void unsupportedScheme(String requestUri) throws Exception {
        startCamel("sessionExpires=6");
        String answer = sendRaw(requestUri, "SIP/2.0");
        assertThat(answer).startsWith("SIP/2.0 416 ");
        assertThat(component.getStatistics().rejections(RejectionReason.UNSUPPORTED_URI_SCHEME)).isEqualTo(1);
    }

    @Test
    @DisplayName("a Request-URI that is not a URI at all -> 400 from JAIN-SIP's parser, no call")
    void garbageRequestUri() throws Exception {
        startCamel("sessionExpires=6");
        String answer = sendRaw("garbage", "SIP/2.0");
        assertThat(answer).startsWith("SIP/2.0 400 ");
        assertThat(component.getActiveSessionCount()).isZero();
    }

    /** An INVITE as text, from a raw socket on {@code fromPort}. */
    private String invite(String requestUri, String version, int fromPort) {
        String branch = "z9hG4bK" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        return "INVITE " + requestUri + " " + version + "\r\n"
               + "Via: SIP/2.0/UDP 127.0.0.1:" + fromPort + ";branch=" + branch + "\r\n"
               + "From: <sip:raw@127.0.0.1:" + fromPort + ">;tag=" + Long.toHexString(System.nanoTime()) + "\r\n"
               + "To: <sip:camel@127.0.0.1:" + port + ">\r\n"
               + "Call-ID: raw-" + branch + "@127.0.0.1\r\n"
               + "CSeq: 1 INVITE\r\n"
               + "Max-Forwards: 70\r\n"
               + "Contact: <sip:raw@127.0.0.1:" + fromPort + ">\r\n"
               + "Supported: timer\r\n"
               + "Content-Length: 0\r\n\r\n";
    }

    /**
     * Sends {@link #invite} as one datagram to our agent and returns the first final response to it (provisional ones
     * skipped), waiting at most {@link #SHORT}.
     */
    private String sendRaw(String requestUri, String version) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            String message = invite(requestUri, version, socket.getLocalPort());
            byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
            long deadline = System.nanoTime() + SHORT.toNanos();
            byte[] buffer = new byte[65536];
            while (true) {
                long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
                if (left <= 0) {
                    throw new AssertionError("no final response to " + message.substring(0, message.indexOf('\r')));
                }
                socket.setSoTimeout((int) left);
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
                if (!text.startsWith("SIP/2.0 1")) {
                    return text;
                }
            }
        }
    }
}
