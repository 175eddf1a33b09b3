package org.sessiontimer.camel.core;

import java.util.ArrayList;
import java.util.List;

/** Records timer events as {@code "refreshDue@<ms>"} / {@code "expired@<ms>"} in virtual time. */
final class RecordingListener implements SessionTimer.Listener {

    final List<String> events = new ArrayList<>();
    final List<SessionTimer> sources = new ArrayList<>();
    private final TimerScheduler clock;
    Runnable onRefreshDue = () -> { };
    Runnable onExpired = () -> { };

    RecordingListener(TimerScheduler clock) {
        this.clock = clock;
    }

    @Override
    public void refreshDue(SessionTimer timer) {
        events.add("refreshDue@" + clock.nowMillis());
        sources.add(timer);
        onRefreshDue.run();
    }

    @Override
    public void expired(SessionTimer timer) {
        events.add("expired@" + clock.nowMillis());
        sources.add(timer);
        onExpired.run();
    }
}
