package org.sessiontimer.camel;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.sessiontimer.camel.register.Registration;
import org.sessiontimer.camel.register.RegistrationState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The consumer's registration against a registrar that refuses first and accepts then: a plain UDP socket that
 * answers each REGISTER as the test says (the wire with a digest challenge is sipp/uas_register.xml's).
 */
class RegistrationComponentTest extends SessionTimerTestSupport {

    private DatagramSocket registrar;
    private volatile SocketAddress lastSender;
    private volatile String removed;

    @BeforeEach
    void openRegistrar() throws Exception {
        registrar = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        registrar.setSoTimeout(5000);
    }

    @AfterEach
    void closeRegistrar() {
        registrar.close();
    }

    @Test
    @DisplayName("a refused REGISTER: state FAILED naming the status, again after the Retry-After; then REGISTERED;"
                 + " at stop the binding is removed with Expires: 0")
    void refusedThenRegisteredThenRemoved() throws Exception {
        startCamel("sessionExpires=6&registrar=sip:127.0.0.1:" + registrar.getLocalPort() + "&registerExpires=120");
        Registration registration = ((SessionTimerCallConsumer) context.getRoute("answer").getConsumer())
                .registration();

        String first = receive();
        assertThat(first).startsWith("REGISTER sip:127.0.0.1:" + registrar.getLocalPort()).contains("Expires: 120")
                .containsPattern("(?m)^Contact: <sip:camel@127\\.0\\.0\\.1:" + port);
        long refusedAt = System.nanoTime();
        answer(first, "503 Service Unavailable", "Retry-After: 1");
        await("FAILED after the 503").atMost(5, TimeUnit.SECONDS).until(() -> registration.state()
                                                                             == RegistrationState.FAILED);
        assertThat(registration.lastProblem()).contains("503");

        String again = receive();
        assertThat(millisBetween(refusedAt, System.nanoTime())).as("after the registrar's Retry-After")
                .isGreaterThanOrEqualTo(900);
        assertThat(header(again, "Call-ID")).isEqualTo(header(first, "Call-ID"));
        assertThat(header(again, "CSeq")).isEqualTo("2 REGISTER");
        answer(again, "200 OK", "Contact: <sip:camel@127.0.0.1:" + port + ";transport=udp>;expires=120");
        await("REGISTERED after the 200").atMost(5, TimeUnit.SECONDS).until(() -> registration.state()
                                                                                 == RegistrationState.REGISTERED);

        Thread removal = new Thread(() -> {
            try {
                String last = receive();
                answer(last, "200 OK");
                removed = last;
            } catch (Exception e) {
                removed = e.toString();
            }
        });
        removal.start();
        context.stop();
        removal.join(5000);
        assertThat(removed).as("the REGISTER sent at stop").startsWith("REGISTER ").contains("Expires: 0")
                .contains("CSeq: 3 REGISTER");
    }

    private String receive() throws Exception {
        byte[] buffer = new byte[65535];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        registrar.receive(packet);
        lastSender = packet.getSocketAddress();
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
    }

    /** Answers a REGISTER with a status line and extra headers, copying what a response must copy. */
    private void answer(String request, String status, String... extra) throws Exception {
        String copied = Stream.of("Via", "From", "To", "Call-ID", "CSeq")
                .map(name -> name + ": " + header(request, name) + (name.equals("To") ? ";tag=reg1" : ""))
                .collect(Collectors.joining("\r\n"));
        String response = "SIP/2.0 " + status + "\r\n" + copied + "\r\n"
                          + Stream.of(extra).map(h -> h + "\r\n").collect(Collectors.joining())
                          + "Content-Length: 0\r\n\r\n";
        byte[] bytes = response.getBytes(StandardCharsets.US_ASCII);
        registrar.send(new DatagramPacket(bytes, bytes.length, lastSender));
    }

    private static String header(String message, String name) {
        for (String line : message.split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }
}
