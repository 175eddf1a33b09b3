package org.sessiontimer.example;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.sessiontimer.camel.SessionTimerConstants;

/**
 * Calls in: every INVITE that passed session timer negotiation becomes an exchange whose body is the SDP offer; the
 * reply is the SDP answer (or 488 when the offer has neither PCMU nor PCMA). A new offer later in the call (event
 * {@code offer}: hold, T.38, a new address) is left to the component's default answer (RFC 3264 §6.1), which keeps
 * our o= session id: a reply without a body.
 */
public class AnswerRoutes extends RouteBuilder {

    @Override
    public void configure() {
        SdpAnswerer sdp = new SdpAnswerer(getContext().resolvePropertyPlaceholders("{{example.media-host}}"),
                Integer.parseInt(getContext().resolvePropertyPlaceholders("{{example.media-port}}")));

        from("session-timer:call").routeId("answer-calls")
                .filter(header(SessionTimerConstants.EVENT).isEqualTo("offer"))
                    .log(LoggingLevel.INFO, "org.sessiontimer.example.calls", "New offer in call ${header."
                         + SessionTimerConstants.CALL_ID + "}; the default answer")
                    .setBody(constant(null))
                    .stop()
                .end()
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
