package org.sessiontimer.camel.sip;

import org.sessiontimer.camel.core.TimerScheduler;

/**
 * How long a call may ring before it is given up (option {@code answerTimeout}), in either direction: an INVITE
 * transaction that got a 1xx waits for its final answer for ever (RFC 3261 §17.1.1.2), and so would a call whose
 * answering route never decides. The give-up runs on the component's scheduler; 0 or less means no limit.
 */
final class AnswerDeadline {

    private AnswerDeadline() {
    }

    /** Schedules {@code giveUp} after {@code timeoutMillis}; null when there is no limit. */
    static TimerScheduler.Cancellable arm(TimerScheduler scheduler, long timeoutMillis, Runnable giveUp) {
        return timeoutMillis > 0 ? scheduler.schedule(giveUp, timeoutMillis) : null;
    }
}
