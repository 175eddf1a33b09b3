package org.sessiontimer.example;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;
import org.sessiontimer.camel.SessionTimerConstants;
import org.sessiontimer.camel.UnknownCallException;
import org.sessiontimer.camel.sip.SipCallException;

/**
 * The example's HTTP API in Java DSL: place, list and end calls. Incoming calls are answered by {@link AnswerRoutes};
 * the route that logs call events is in YAML (routes/call-events.yaml).
 */
public class CallApiRoutes extends RouteBuilder {

    @Override
    public void configure() {
        SdpAnswerer sdp = sdpAnswerer();

        // -- the HTTP API: errors become JSON with a status code, never a stack trace
        jsonError(UnknownCallException.class, 404);
        jsonError(IllegalArgumentException.class, 400);
        jsonError(SipCallException.class, 502);

        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off);

        rest("/api/calls")
                .post().produces("application/json").to("direct:place-call")
                .get().produces("application/json").to("direct:list-calls")
                .delete("/{callId}").produces("application/json").to("direct:end-call");

        from("direct:place-call").routeId("place-call")
                .process(exchange -> {
                    String to = exchange.getMessage().getHeader("to", String.class);
                    if (to == null || to.isBlank()) {
                        throw new IllegalArgumentException("query parameter 'to' is required, e.g. ?to=sip:alice@127.0.0.1:5070");
                    }
                    if (!to.startsWith("sip:") && !to.startsWith("<sip:")) {
                        throw new IllegalArgumentException("'to' must be a sip: URI, was '" + to + "'");
                    }
                    exchange.getMessage().setHeader(SessionTimerConstants.TO, to);
                    exchange.getMessage().setBody(sdp.offer());
                })
                .to("session-timer:call")
                .setBody(exchange -> placed(exchange.getMessage()))
                .marshal().json()
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));

        from("direct:list-calls").routeId("list-calls")
                .to("session-timer:sessions")
                .marshal().json()
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));

        from("direct:end-call").routeId("end-call")
                .setHeader(SessionTimerConstants.CALL_ID, header("callId"))
                .setHeader(SessionTimerConstants.REASON, constant("ended through the HTTP API"))
                .to("session-timer:bye")
                .setBody(exchange -> ended(exchange.getMessage().getHeader("callId", String.class)))
                .marshal().json()
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));
    }

    private SdpAnswerer sdpAnswerer() {
        return new SdpAnswerer(getContext().resolvePropertyPlaceholders("{{example.media-host}}"),
                Integer.parseInt(getContext().resolvePropertyPlaceholders("{{example.media-port}}")));
    }

    /** Answers an exception of this type with this HTTP status and {@code {"error": message}}. */
    private void jsonError(Class<? extends Exception> type, int status) {
        onException(type).handled(true)
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(status))
                .setBody(exchange -> error(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)))
                .marshal().json()
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));
    }

    /** The placed call; interval and refresher are null when the call has no session timer. */
    private static Map<String, Object> placed(Message answer) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("callId", answer.getHeader(SessionTimerConstants.CALL_ID));
        body.put("interval", answer.getHeader(SessionTimerConstants.INTERVAL));
        body.put("refresher", answer.getHeader(SessionTimerConstants.REFRESHER));
        return body;
    }

    private static Map<String, Object> ended(String callId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("callId", callId);
        body.put("ended", true);
        return body;
    }

    private static Map<String, String> error(Exception e) {
        return Map.of("error", e == null || e.getMessage() == null ? "error" : e.getMessage());
    }
}
