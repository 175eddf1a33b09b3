package org.sessiontimer.camel.springboot;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.sessiontimer.camel.SessionTimerComponent;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's Spring Boot example, proven on the wire: an application with only the starter and one answering route
 * takes a call from SIPp ({@code sipp/uac_with_timer.xml}), whose checks pass only when the 200 carries
 * {@code Session-Expires: 1800;refresher=uac}, {@code Require: timer} and {@code Supported: timer}, and the refresh
 * re-INVITE is answered the same way. Needs SIPp, as the integration tests of src-it do.
 */
@CamelSpringBootTest
@SpringBootTest(classes = SessionTimerStarterTest.Application.class,
                properties = "camel.component.session-timer.host=127.0.0.1")
class SessionTimerStarterSippIT {

    static final int SIP_PORT = AvailablePortFinder.getNextAvailable();
    private static final Path SCENARIOS = Paths.get(System.getProperty("sipp.scenarios", "../sipp"));

    @DynamicPropertySource
    static void sipPort(DynamicPropertyRegistry registry) {
        registry.add("camel.component.session-timer.port", () -> SIP_PORT);
    }

    @Autowired
    CamelContext camelContext;

    @Test
    @DisplayName("SIPp calls the Spring Boot app: 200 with Session-Expires 1800;refresher=uac, refresh answered, BYE")
    void sippCallGetsSessionTimerHeaders() throws Exception {
        requireSipp();
        Path output = Files.createTempFile("sipp-starter-", ".log");
        List<String> command = List.of("sipp", "-sf", SCENARIOS.resolve("uac_with_timer.xml").toString(),
                "-i", "127.0.0.1", "-p", Integer.toString(AvailablePortFinder.getNextAvailable()), "-m", "1",
                "-timeout", "30s", "-timeout_error", "-nostdin", "-set", "se", "1800", "-set", "refresh_ms", "1000",
                "-set", "hold_ms", "200", "127.0.0.1:" + SIP_PORT);
        Process sipp = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!sipp.waitFor(45, TimeUnit.SECONDS)) {
            sipp.destroyForcibly();
        }
        String screen = Files.readString(output);
        assertThat(sipp.exitValue()).as("SIPp's checks (exit 0):%n%s", tail(screen)).isZero();

        SessionTimerComponent component = camelContext.getComponent("session-timer", SessionTimerComponent.class);
        await().atMost(10, TimeUnit.SECONDS).until(() -> component.getActiveSessionCount() == 0
                && component.getScheduledTimerCount() == 0);
        Files.deleteIfExists(output);
    }

    private static String tail(String screen) {
        return screen.length() > 3000 ? screen.substring(screen.length() - 3000) : screen;
    }

    private static void requireSipp() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Paths.get(dir, "sipp"))) {
                return;
            }
        }
        throw new IllegalStateException("SIPp is not installed (no 'sipp' on the PATH): install Debian's package"
                                        + " with 'apt-get install sip-tester'.");
    }
}
