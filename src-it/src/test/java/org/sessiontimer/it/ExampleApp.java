package org.sessiontimer.it;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.sessiontimer.camel.SessionTimerComponent;
import org.sessiontimer.example.ExampleApplication;

import static org.awaitility.Awaitility.await;

/**
 * The example application, started in this JVM exactly as {@code java -jar routes-example.jar} starts it, on free
 * loopback ports and with the given property overrides (the camel-main way, as -D options would).
 */
final class ExampleApp implements AutoCloseable {

    /** Lab-floor settings most scenarios use: SE 10 s, Min-SE 4 s. */
    static Map<String, String> labFloor() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("camel.component.session-timer.lab-floor", "4");
        p.put("camel.component.session-timer.min-se", "4");
        p.put("camel.component.session-timer.session-expires", "10");
        return p;
    }

    private final Main main;
    private final int sipPort;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ExampleApp(Main main, int sipPort, int httpPort) {
        this.main = main;
        this.sipPort = sipPort;
        this.httpPort = httpPort;
    }

    static ExampleApp start(Map<String, String> overrides) throws Exception {
        int sipPort = freeSipPort();
        int httpPort = freeTcpPort();
        Properties properties = new Properties();
        properties.setProperty("camel.component.session-timer.port", Integer.toString(sipPort));
        properties.setProperty("camel.server.port", Integer.toString(httpPort));
        properties.setProperty("camel.management.port", Integer.toString(httpPort));
        properties.putAll(overrides);
        Main main = new Main(ExampleApplication.class);
        main.setOverrideProperties(properties);
        main.start();
        ExampleApp app = new ExampleApp(main, sipPort, httpPort);
        await().atMost(Duration.ofSeconds(30)).until(() -> main.getCamelContext() != null
                && main.getCamelContext().isStarted());
        return app;
    }

    int sipPort() {
        return sipPort;
    }

    int httpPort() {
        return httpPort;
    }

    CamelContext camelContext() {
        return main.getCamelContext();
    }

    SessionTimerComponent component() {
        return main.getCamelContext().getComponent("session-timer", SessionTimerComponent.class);
    }

    int activeSessions() {
        return component().getActiveSessionCount();
    }

    void awaitNoSessions(Duration timeout) {
        await().atMost(timeout).until(() -> activeSessions() == 0);
    }

    HttpResponse<String> http(String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(40))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        main.stop();
        main.shutdown();
    }

    /** A port free for both UDP and TCP on 127.0.0.1, since the agent binds both. */
    static int freeSipPort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = freeTcpPort();
            try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException busy) {
                // try another
            }
        }
        throw new IOException("no port free for UDP and TCP");
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
