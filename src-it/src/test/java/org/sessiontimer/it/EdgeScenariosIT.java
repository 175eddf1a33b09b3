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
 * The app at the edge of a real network, against SIPp: SIP over TLS in both directions (through a TLS front, see
 * {@link TlsFront}), an outbound proxy played by SIPp, and Record-Route in both roles. One app per test, started with
 * that test's settings.
 */
class EdgeScenariosIT {

    private static final String OPTION = "camel.component.session-timer.";

    /** The lab floor, tls on a free port, and the test certificate as Camel's global SSL context parameters. */
    private static Map<String, String> tlsSettings(int tlsPort) throws Exception {
        TlsFront.Certificate cert = TlsFront.Certificate.get();
        Map<String, String> settings = ExampleApp.labFloor();
        settings.put(OPTION + "transports", "udp,tcp,tls");
        settings.put(OPTION + "tls-port", Integer.toString(tlsPort));
        settings.put(OPTION + "use-global-ssl-context-parameters", "true");
        settings.put("camel.ssl.enabled", "true");
        settings.put("camel.ssl.key-store", "file:" + cert.pkcs12());
        settings.put("camel.ssl.key-store-type", "PKCS12");
        settings.put("camel.ssl.keystore-password", TlsFront.PASSWORD);
        settings.put("camel.ssl.trust-store", "file:" + cert.pkcs12());
        settings.put("camel.ssl.trust-store-password", TlsFront.PASSWORD);
        return settings;
    }

    private static HttpResponse<String> call(ExampleApp app, String target) throws Exception {
        return app.http("POST", "/api/calls?to=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("TLS: the app calls SIPp over TLS: Via TLS and a TLS Contact on INVITE and refresh; SIPp's BYE answered")
    void appCallsSippOverTls() throws Exception {
        int tlsPort = ExampleApp.freeTcpPort();
        Sipp sipp = Sipp.scenario("uas_tls.xml").tcp().timeout(Duration.ofSeconds(30));
        try (ExampleApp app = ExampleApp.start(tlsSettings(tlsPort));
             TlsFront front = TlsFront.tlsToTcp(ExampleApp.freeTcpPort(), sipp.localPort())) {
            sipp.set("tls_port", front.port()).set("se", 4).start();
            HttpResponse<String> placed = call(app, "sip:service@127.0.0.1:" + front.port() + ";transport=tls");
            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(200);
            SippResult result = sipp.awaitResult();
            assertThat(result.exitCode()).as(result.describe()).isZero();
            assertThat(result.received("INVITE")).as("the INVITE and its refresh, over TLS").hasSize(2);
            app.awaitNoSessions(Duration.ofSeconds(10));
        } finally {
            sipp.stop();
        }
    }

    @Test
    @DisplayName("TLS: SIPp calls the app's TLS port: the 200 comes back over TLS with a TLS Contact at that port")
    void sippCallsAppOverTls() throws Exception {
        int tlsPort = ExampleApp.freeTcpPort();
        Sipp sipp = Sipp.scenario("uac_tls.xml").tcp().timeout(Duration.ofSeconds(30));
        try (ExampleApp app = ExampleApp.start(tlsSettings(tlsPort));
             TlsFront toSipp = TlsFront.tlsToTcp(ExampleApp.freeTcpPort(), sipp.localPort());
             TlsFront toApp = TlsFront.tcpToTls(ExampleApp.freeTcpPort(), tlsPort)) {
            SippResult result = sipp.set("tls_port", toSipp.port()).set("app_tls_port", tlsPort).callTo(toApp.port())
                    .run();
            assertThat(result.exitCode()).as(result.describe()).isZero();
            app.awaitNoSessions(Duration.ofSeconds(10));
        } finally {
            sipp.stop();
        }
    }

    @Test
    @DisplayName("outboundProxy: SIPp is the app's outbound proxy: the INVITE comes with a preloaded Route; ACK,"
                 + " refresh and the expiry BYE follow the Record-Route set, p1 then p2")
    void outboundProxyPlayedBySipp() throws Exception {
        Sipp sipp = Sipp.scenario("uas_outbound_proxy.xml").timeout(Duration.ofSeconds(30));
        int calleePort = ExampleApp.freeSipPort(); // nothing listens there: every request must go through SIPp
        Map<String, String> settings = ExampleApp.labFloor();
        settings.put(OPTION + "outbound-proxy", "sip:127.0.0.1:" + sipp.localPort() + ";lr");
        try (ExampleApp app = ExampleApp.start(settings)) {
            sipp.set("callee_port", calleePort).set("se", 4).start();
            HttpResponse<String> placed = call(app, "sip:alice@127.0.0.1:" + calleePort);
            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(200);
            SippResult result = sipp.awaitResult();
            assertThat(result.exitCode()).as(result.describe()).isZero();
            assertThat(result.received("BYE")).hasSize(1);
            app.awaitNoSessions(Duration.ofSeconds(10));
        } finally {
            sipp.stop();
        }
    }

    @Test
    @DisplayName("Record-Route: SIPp calls the app through two recorded proxies; the 200 keeps them and the app's"
                 + " refresh follows them in order")
    void recordRouteAppAnswers() throws Exception {
        try (ExampleApp app = ExampleApp.start(ExampleApp.labFloor())) {
            SippResult result = Sipp.scenario("uac_record_route.xml").callTo(app.sipPort())
                    .timeout(Duration.ofSeconds(30)).set("se", 4).run();
            assertThat(result.exitCode()).as(result.describe()).isZero();
            assertThat(result.received("INVITE")).as("the app's refresh").hasSize(1);
            app.awaitNoSessions(Duration.ofSeconds(10));
        }
    }
}
