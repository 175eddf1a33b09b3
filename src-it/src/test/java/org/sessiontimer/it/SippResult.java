package org.sessiontimer.it;

import java.util.List;
import java.util.function.Predicate;

/**
 * What a SIPp run left: its exit status, its screen, its error log (-trace_err: which check of the scenario failed a
 * call, which the screen does not say) and every message it sent or received.
 */
record SippResult(String scenario, int exitCode, String screen, String errors, List<SippTrace.Message> messages) {

    /** Received requests of the given method, in order. */
    List<SippTrace.Message> received(String method) {
        return messages.stream().filter(m -> !m.sent() && m.isRequest(method)).toList();
    }

    List<SippTrace.Message> sent(String method) {
        return messages.stream().filter(m -> m.sent() && m.isRequest(method)).toList();
    }

    List<SippTrace.Message> where(Predicate<SippTrace.Message> filter) {
        return messages.stream().filter(filter).toList();
    }

    /** The cumulative column of a counter line of SIPp's final screen ("Successful call", "Failed call"), or -1. */
    int counter(String name) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile(
                java.util.regex.Pattern.quote(name) + "\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)").matcher(screen);
        int value = -1;
        while (matcher.find()) {
            value = Integer.parseInt(matcher.group(1));
        }
        return value;
    }

    /** For assertion messages: what SIPp printed, and the start of its error log. */
    String describe() {
        String tail = screen.length() > 3000 ? screen.substring(screen.length() - 3000) : screen;
        String described = scenario + " exited " + exitCode + "\n" + tail;
        if (errors.isBlank()) {
            return described;
        }
        return described + "\nSIPp errors:\n" + (errors.length() > 3000 ? errors.substring(0, 3000) : errors);
    }
}
