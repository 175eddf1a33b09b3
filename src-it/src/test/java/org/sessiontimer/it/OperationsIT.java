package org.sessiontimer.it;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator sees of the app: the component's meters on /observe/metrics move in a SIPp run, the Grafana
 * dashboard in docs/ reads only meters that exist, and /observe/health goes DOWN when the SIP port is lost.
 */
class OperationsIT extends ScenarioSupport {

    private static final Path DOCS = Paths.get(System.getProperty("docs.dir", "../docs"));
    private static final String CONTEXT = "camelContext=\"session-timer-example\"";

    @BeforeAll
    static void start() throws Exception {
        startApp(ExampleApp.labFloor());
    }

    /** The value of the one sample of {@code name} that has all these labels, e.g. role="uas". */
    private static double sample(String scrape, String name, String... labels) {
        return scrape.lines().filter(line -> line.startsWith(name + "{"))
                .filter(line -> Arrays.stream(labels).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .reduce((a, b) -> {
                    throw new AssertionError("more than one sample of " + name + " with " + Arrays.toString(labels));
                }).orElseThrow(() -> new AssertionError("no sample of " + name + " with " + Arrays.toString(labels)));
    }

    private static String metrics() throws Exception {
        HttpResponse<String> response = app.http("GET", "/observe/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    @Test
    @DisplayName("A SIPp run moves the component's counters: calls answered, refreshes received, setup time")
    void countersMoveInASippRun() throws Exception {
        String before = metrics();
        double answered = sample(before, "session_timer_calls_answered_total", CONTEXT, "role=\"uas\"");
        double refreshed = sample(before, "session_timer_refreshes_received_total", "method=\"invite\"", "result=\"ok\"");

        passed(Sipp.scenario("uac_with_timer.xml").callTo(app.sipPort()).calls(3).timeout(Duration.ofSeconds(30))
                .set("se", 10).set("refresh_ms", 1000).set("hold_ms", 200).run());
        app.awaitNoSessions(Duration.ofSeconds(10));

        String after = metrics();
        assertThat(sample(after, "session_timer_calls_answered_total", CONTEXT, "role=\"uas\"")).isEqualTo(answered + 3);
        assertThat(sample(after, "session_timer_refreshes_received_total", "method=\"invite\"", "result=\"ok\""))
                .isEqualTo(refreshed + 3);
        assertThat(sample(after, "session_timer_call_setup_seconds_count", "role=\"uas\"")).isEqualTo(answered + 3);
        assertThat(sample(after, "session_timer_active_sessions", CONTEXT)).isZero();
        assertThat(sample(after, "session_timer_rejections_total", "status=\"422\"", "reason=\"interval-too-small\""))
                .isGreaterThanOrEqualTo(0);
    }

    @Test
    @DisplayName("Every metric the Grafana dashboard in docs/ queries is on /observe/metrics")
    void dashboardQueriesExistingMeters() throws Exception {
        String dashboard = Files.readString(DOCS.resolve("grafana/session-timer-dashboard.json"));
        Set<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile("session_timer_[a-z0-9_]+").matcher(dashboard);
        while (matcher.find()) {
            names.add(matcher.group());
        }
        assertThat(names).hasSizeGreaterThanOrEqualTo(6);
        String scrape = metrics();
        assertThat(names).allSatisfy(name -> assertThat(scrape).as("scrape of /observe/metrics").contains(name + "{"));
    }

    @Test
    @DisplayName("The SIP port is lost when the routes that hold the agent stop: /observe/health goes DOWN (503) and "
                 + "UP again once they start")
    void healthDownWhenSipPortIsLost() throws Exception {
        assertThat(app.http("GET", "/observe/health").statusCode()).isEqualTo(200);
        var routes = app.camelContext().getRouteController();
        routes.stopRoute("answer-calls");
        routes.stopRoute("place-call");
        try (DatagramSocket port = new DatagramSocket(app.sipPort(), InetAddress.getLoopbackAddress())) {
            assertThat(port.isBound()).as("nobody listens on the SIP port any more").isTrue();
        }
        HttpResponse<String> down = app.http("GET", "/observe/health?exposureLevel=full");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("DOWN", "answer-calls");

        routes.startRoute("place-call");
        routes.startRoute("answer-calls");
        HttpResponse<String> up = app.http("GET", "/observe/health");
        assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
    }
}
