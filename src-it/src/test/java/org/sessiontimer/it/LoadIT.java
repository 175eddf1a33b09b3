package org.sessiontimer.it;

import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bounded version of the seed's load test (sipp/load.sh runs the full 1000 calls by hand): 300 calls at 50 calls/s,
 * at most 50 at once, every 200 checked for Session-Expires and Require: timer, and no session left afterwards.
 */
class LoadIT extends ScenarioSupport {

    private static final int CALLS = 300;

    @BeforeAll
    static void start() throws Exception {
        startApp(ExampleApp.labFloor());
    }

    @Test
    @DisplayName("S1 S2 R12 under load: 300 of 300 calls succeed and no session is left")
    void load() throws Exception {
        SippResult result = set(Sipp.scenario("load_uac.xml").callTo(app.sipPort()).calls(CALLS)
                .arg("-r", "50", "-l", "50").withoutMessageTrace().timeout(Duration.ofSeconds(60)), "se", 10, "hold_ms", 500).run();
        passed(result);
        assertThat(result.counter("Successful call")).isEqualTo(CALLS);
        assertThat(result.counter("Failed call")).isZero();
        app.awaitNoSessions(Duration.ofSeconds(30));
    }
}
