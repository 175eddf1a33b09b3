package org.sessiontimer.example;

import org.apache.camel.Exchange;
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
        onException(UnknownCallException.class).handled(true)
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(404))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setBody(exchange -> error(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)));
        onException(IllegalArgumentException.class).handled(true)
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(400))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setBody(exchange -> error(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)));
        onException(SipCallException.class).handled(true)
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(502))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setBody(exchange -> error(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)));

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
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setBody(simple("{\"callId\":\"${header." + SessionTimerConstants.CALL_ID + "}\",\"interval\":${header."
                                + SessionTimerConstants.INTERVAL + "},\"refresher\":\"${header."
                                + SessionTimerConstants.REFRESHER + "}\"}"));

        from("direct:list-calls").routeId("list-calls")
                .to("session-timer:sessions")
                .marshal().json()
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));

        from("direct:end-call").routeId("end-call")
                .setHeader(SessionTimerConstants.CALL_ID, header("callId"))
                .setHeader(SessionTimerConstants.REASON, constant("ended through the HTTP API"))
                .to("session-timer:bye")
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setBody(simple("{\"callId\":\"${header.callId}\",\"ended\":true}"));
    }

    private SdpAnswerer sdpAnswerer() {
        return new SdpAnswerer(getContext().resolvePropertyPlaceholders("{{example.media-host}}"),
                Integer.parseInt(getContext().resolvePropertyPlaceholders("{{example.media-port}}")));
    }

    private static String error(Exception e) {
        String message = e == null ? "error" : e.getMessage();
        return "{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    }
}
