package org.sessiontimer.camel;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.sessiontimer.camel.core.TimerScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/** Every active session has a pending timer task, so the component's scheduler must hold as many as there are sessions. */
class TimerSchedulerCapacityTest extends CamelTestSupport {

    @Test
    @DisplayName("R1 R9 R12: 20000 pending timer tasks fit (Camel's default queue cap is 1000); cancelled ones leave the queue")
    void holdsTensOfThousandsOfTimers() throws Exception {
        SessionTimerComponent component = new SessionTimerComponent();
        context.addComponent("session-timer", component);
        component.start();

        List<TimerScheduler.Cancellable> tasks = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            tasks.add(component.timerScheduler().schedule(() -> { }, 3_600_000));
        }
        assertThat(component.getScheduledTimerCount()).isEqualTo(20_000);

        tasks.forEach(TimerScheduler.Cancellable::cancel);
        assertThat(component.getScheduledTimerCount()).isZero();
    }
}
