package org.sessiontimer.example;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.sessiontimer.camel.SessionTimerConstants;

/**
 * Calls in: every INVITE that passed session timer negotiation becomes an exchange whose body is the SDP offer; the
 * reply is the SDP answer (or 488 when the offer has neither PCMU nor PCMA).
 */
public class AnswerRoutes extends RouteBuilder {

    @Override
    public void configure() {
        SdpAnswerer sdp = new SdpAnswerer(getContext().resolvePropertyPlaceholders("{{example.media-host}}"),
                Integer.parseInt(getContext().resolvePropertyPlaceholders("{{example.media-port}}")));

        from("session-timer:call").routeId("answer-calls")
                .log(LoggingLevel.INFO, "org.sessiontimer.example.calls", "Incoming call ${header." + SessionTimerConstants.CALL_ID + "} from ${header."
                     + SessionTimerConstants.FROM + "} sessionExpires=${header." + SessionTimerConstants.INTERVAL
                     + "} refresher=${header." + SessionTimerConstants.REFRESHER + "}")
                .delay(simple("{{example.answer-delay}}")).asyncDelayed()
                .process(exchange -> {
                    String answer = sdp.answer(exchange.getMessage().getBody(String.class));
                    if (answer == null) {
                        exchange.getMessage().setHeader(SessionTimerConstants.STATUS_CODE, 488);
                    }
                    exchange.getMessage().setBody(answer);
                });
    }
}
