package org.sessiontimer.example;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.apache.camel.builder.Builder.header;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example app in-process, as camel-main starts it from application.properties (free ports instead of 5060/8080):
 * its answering route takes a call with session timers on, its YAML route sees the call events, and its HTTP API
 * lists the call while it lasts. The peer is a plain UDP socket that speaks just enough SIP for one call.
 */
class ExampleApplicationTest extends CamelMainTestSupport {

    private static final Pattern TO_TAG = Pattern.compile("(?im)^To:.*;tag=([^;\\s]+)");
    private static final Pattern STATUS = Pattern.compile("^SIP/2\\.0 (\\d{3}) ");

    // static: CamelTestSupport asks for the overrides while the test instance is being built
    private static final int SIP_PORT = AvailablePortFinder.getNextAvailable();
    private static final int HTTP_PORT = AvailablePortFinder.getNextAvailable();
    private DatagramSocket peer;

    @Override
    protected Class<?> getMainClass() {
        return ExampleApplication.class;
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties overrides = new Properties();
        overrides.setProperty("camel.component.session-timer.port", Integer.toString(SIP_PORT));
        overrides.setProperty("camel.server.port", Integer.toString(HTTP_PORT));
        overrides.setProperty("camel.management.port", Integer.toString(HTTP_PORT));
        return overrides;
    }

    @BeforeEach
    void openPeer() throws Exception {
        peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        peer.setSoTimeout(5000);
    }

    @AfterEach
    void closePeer() {
        peer.close();
    }

    @Test
    @DisplayName("S1 R12: the app answers a call with Session-Expires and Require: timer, lists it, and frees it on BYE")
    void answersACallWithSessionTimers() throws Exception {
        NotifyBuilder confirmed = new NotifyBuilder(context).fromRoute("call-events")
                .filter(header("CamelSessionTimerEvent").isEqualTo("confirmed")).whenDone(1).create();
        NotifyBuilder ended = new NotifyBuilder(context).fromRoute("call-events")
                .filter(header("CamelSessionTimerEvent").isEqualTo("ended")).whenDone(1).create();
        String callId = "example-" + System.nanoTime() + "@127.0.0.1";

        String ok = send(request("INVITE", callId, 1, null, "Session-Expires: 1800", "Supported: timer"), "INVITE");
        assertThat(status(ok)).isEqualTo(200);
        assertThat(ok).containsPattern("(?im)^(Session-Expires|x):\\s*1800;refresher=uac")
                .containsPattern("(?im)^Require:.*timer");
        Matcher tag = TO_TAG.matcher(ok);
        assertThat(tag.find()).as("a To tag in the 200").isTrue();
        sendOnly(request("ACK", callId, 1, tag.group(1)));
        assertThat(confirmed.matches(5, TimeUnit.SECONDS)).as("the YAML route saw the call confirmed").isTrue();

        HttpResponse<String> calls = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + HTTP_PORT + "/api/calls")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(calls.statusCode()).isEqualTo(200);
        assertThat(calls.body()).contains(callId).contains("\"interval\":1800");

        assertThat(status(send(request("BYE", callId, 2, tag.group(1)), "BYE"))).isEqualTo(200);
        assertThat(ended.matches(5, TimeUnit.SECONDS)).as("the YAML route saw the call end").isTrue();
    }

    /** A request from the peer, in the call's dialog once toTag is known. */
    private String request(String method, String callId, int cseq, String toTag, String... extra) {
        String target = "sip:service@127.0.0.1:" + SIP_PORT;
        StringBuilder m = new StringBuilder()
                .append(method).append(' ').append(target).append(" SIP/2.0\r\n")
                .append("Via: SIP/2.0/UDP 127.0.0.1:").append(peer.getLocalPort())
                .append(";branch=z9hG4bK-").append(method.toLowerCase()).append(System.nanoTime()).append("\r\n")
                .append("Max-Forwards: 70\r\n")
                .append("From: <sip:peer@127.0.0.1>;tag=peer1\r\n")
                .append("To: <").append(target).append('>').append(toTag == null ? "" : ";tag=" + toTag).append("\r\n")
                .append("Call-ID: ").append(callId).append("\r\n")
                .append("CSeq: ").append(cseq).append(' ').append(method).append("\r\n")
                .append("Contact: <sip:peer@127.0.0.1:").append(peer.getLocalPort()).append(">\r\n");
        for (String header : extra) {
            m.append(header).append("\r\n");
        }
        String body = method.equals("INVITE")
                ? "v=0\r\no=peer 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40002 RTP/AVP 0\r\n"
                : "";
        if (!body.isEmpty()) {
            m.append("Content-Type: application/sdp\r\n");
        }
        return m.append("Content-Length: ").append(body.length()).append("\r\n\r\n").append(body).toString();
    }

    private void sendOnly(String message) throws Exception {
        byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
        peer.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), SIP_PORT));
    }

    /** Sends a request and returns its final response (provisional ones are skipped), within the socket timeout. */
    private String send(String message, String method) throws Exception {
        sendOnly(message);
        byte[] buffer = new byte[65535];
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            peer.receive(packet);
            String response = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
            if (status(response) >= 200 && response.matches("(?s).*\r\nCSeq: \\d+ " + method + "\r\n.*")) {
                return response;
            }
        }
    }

    private static int status(String response) {
        Matcher m = STATUS.matcher(response);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
