package org.sessiontimer.it;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One example app per test class, started with the class's settings; after every test the app must hold no session
 * (R12), and SIPp must have exited 0 (every check of its scenario passed).
 */
abstract class ScenarioSupport {

    protected static ExampleApp app;

    protected static void startApp(Map<String, String> settings) throws Exception {
        app = ExampleApp.start(settings);
    }

    @AfterAll
    static void stopApp() throws Exception {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    @AfterEach
    void noSessionLeft() {
        app.awaitNoSessions(Duration.ofSeconds(15));
    }

    /** Runs a scenario in which SIPp calls the app, and asserts that it passed. */
    protected SippResult sippCalls(String scenario, Duration timeout, Object... variables) throws Exception {
        Sipp sipp = Sipp.scenario(scenario).callTo(app.sipPort()).timeout(timeout);
        return passed(set(sipp, variables).run());
    }

    protected static Sipp set(Sipp sipp, Object... variables) {
        for (int i = 0; i + 1 < variables.length; i += 2) {
            sipp.set(String.valueOf(variables[i]), variables[i + 1]);
        }
        return sipp;
    }

    protected static SippResult passed(SippResult result) {
        assertThat(result.exitCode()).as(result.describe()).isZero();
        return result;
    }
}
