package org.sessiontimer.camel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.sessiontimer.camel.core.SessionTimerConfig;
import org.sessiontimer.camel.core.SessionTimerHeaders;
import org.sessiontimer.camel.core.SipHeader;
import org.sessiontimer.camel.core.TimerRequest;
import org.sessiontimer.camel.core.UasDecision;
import org.sessiontimer.camel.core.UasNegotiator;

/**
 * RFC 4028 UAS negotiation as a plain processor, for routes that receive INVITEs some other way (another SIP stack, a
 * queue, HTTP). It reads the request's {@code Session-Expires} (or {@code x}), {@code Min-SE} and {@code Supported}
 * message headers (a String or a collection of Strings each) and writes the decision:
 * <ul>
 * <li>accepted with a timer: {@code CamelSessionTimerInterval}, {@code CamelSessionTimerRefresher} and the headers for
 * the 2xx as message headers ({@code Session-Expires}, {@code Require}, {@code Supported});</li>
 * <li>accepted without a timer: {@code Supported} for the 2xx;</li>
 * <li>rejected: {@code CamelSessionTimerStatusCode} (422, 421 or 400), {@code CamelSessionTimerReasonPhrase} and the
 * headers for that response ({@code Min-SE} for 422, {@code Require} for 421).</li>
 * </ul>
 * The {@code session-timer:call} consumer does the same negotiation itself before a call reaches the route.
 */
public class SessionTimerNegotiator implements Processor {

    private final UasNegotiator negotiator;

    public SessionTimerNegotiator(SessionTimerConfig config) {
        this.negotiator = new UasNegotiator(config);
    }

    /** With the RFC defaults: mode optional, 1800 s, Min-SE 90, refresher uac. */
    public static SessionTimerNegotiator withDefaults() {
        return new SessionTimerNegotiator(SessionTimerConfig.defaults());
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        List<String> sessionExpires = values(message, "Session-Expires");
        sessionExpires.addAll(values(message, "x"));
        TimerRequest request = new TimerRequest(sessionExpires, values(message, "Min-SE"),
                SessionTimerHeaders.containsOptionTag(values(message, "Supported"), SessionTimerHeaders.TIMER_OPTION_TAG));
        UasDecision decision = negotiator.negotiate(request);
        message.removeHeaders("Session-Expires");
        message.removeHeader("x");
        if (decision instanceof UasDecision.Accept accept) {
            message.setHeader(SessionTimerConstants.INTERVAL, accept.interval());
            message.setHeader(SessionTimerConstants.REFRESHER, accept.refresher().token());
        } else if (decision instanceof UasDecision.Reject reject) {
            message.setHeader(SessionTimerConstants.STATUS_CODE, reject.statusCode());
            message.setHeader(SessionTimerConstants.REASON_PHRASE, reject.reasonPhrase());
        }
        for (SipHeader header : decision.responseHeaders()) {
            message.setHeader(header.name(), header.value());
        }
    }

    private static List<String> values(Message message, String name) {
        Object value = message.getHeader(name);
        List<String> answer = new ArrayList<>();
        if (value instanceof Collection<?> collection) {
            collection.forEach(v -> answer.add(String.valueOf(v)));
        } else if (value != null) {
            answer.add(value.toString());
        }
        return answer;
    }
}
