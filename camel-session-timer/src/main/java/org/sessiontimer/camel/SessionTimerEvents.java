package org.sessiontimer.camel;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.sessiontimer.camel.sip.CallEvent;
import org.sessiontimer.camel.sip.SipCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns session timer and call events into exchanges for the routes that consume them. Refreshes and expiries are
 * routes: by default {@code session-timer:refresh-due -> session-timer:refresh} and
 * {@code session-timer:expired -> session-timer:bye}, installed when no route of the user's consumes those events, so
 * they appear in route statistics, JMX and health like any other route. With no route at all (routes removed or
 * stopped) the timers still work: the refresh is sent and the expired call ended directly.
 */
final class SessionTimerEvents {

    static final String REFRESH_ROUTE_ID = "session-timer-refresh";
    static final String EXPIRY_ROUTE_ID = "session-timer-expiry";

    private static final Logger LOG = LoggerFactory.getLogger(SessionTimerEvents.class);

    private final List<SessionTimerEventConsumer> refreshDue = new CopyOnWriteArrayList<>();
    private final List<SessionTimerEventConsumer> expired = new CopyOnWriteArrayList<>();
    private final List<SessionTimerEventConsumer> callEvents = new CopyOnWriteArrayList<>();

    void add(SessionTimerEventConsumer consumer) {
        listFor(consumer.getEndpoint().getKind()).add(consumer);
    }

    void remove(SessionTimerEventConsumer consumer) {
        listFor(consumer.getEndpoint().getKind()).remove(consumer);
    }

    private List<SessionTimerEventConsumer> listFor(EndpointKind kind) {
        return switch (kind) {
            case REFRESH_DUE -> refreshDue;
            case EXPIRED -> expired;
            case EVENTS -> callEvents;
            default -> throw new IllegalArgumentException(kind + " has no events");
        };
    }

    void refreshDue(SipCall call) {
        if (!dispatch(replacing(refreshDue, REFRESH_ROUTE_ID), call, "refresh-due", null, null)) {
            call.sendRefresh();
        }
    }

    void expired(SipCall call) {
        if (!dispatch(replacing(expired, EXPIRY_ROUTE_ID), call, "expired", "session expired", null)) {
            call.hangup("session expired");
        }
    }

    /** A call event; {@code sdp} (may be null) becomes the body: the answer in an ACK, early media. */
    void callEvent(SipCall call, CallEvent event, String detail, byte[] sdp) {
        dispatch(callEvents, call, event.value(), detail, sdp);
    }

    /**
     * A user route on an event replaces the default route, also when it was added after start-up: the default
     * consumer gets the event only when it is the only one.
     */
    private static List<SessionTimerEventConsumer> replacing(List<SessionTimerEventConsumer> consumers,
                                                             String defaultRouteId) {
        if (consumers.size() < 2) {
            return consumers;
        }
        List<SessionTimerEventConsumer> users = consumers.stream()
                .filter(consumer -> !defaultRouteId.equals(consumer.getRouteId()))
                .toList();
        return users.isEmpty() ? consumers : users;
    }

    private boolean dispatch(List<SessionTimerEventConsumer> consumers, SipCall call, String event, String reason,
                             byte[] body) {
        boolean delivered = false;
        for (SessionTimerEventConsumer consumer : consumers) {
            if (consumer.isRunAllowed() && consumer.isStarted()) {
                consumer.fire(call, event, reason, body);
                delivered = true;
            }
        }
        return delivered;
    }

    /** Adds the default refresh and expiry routes for the events no user route consumes. */
    void installDefaultRoutes(CamelContext context) throws Exception {
        boolean needRefresh = refreshDue.isEmpty() && context.getRoute(REFRESH_ROUTE_ID) == null;
        boolean needExpiry = expired.isEmpty() && context.getRoute(EXPIRY_ROUTE_ID) == null;
        if (!needRefresh && !needExpiry) {
            return;
        }
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                if (needRefresh) {
                    from("session-timer:refresh-due").routeId(REFRESH_ROUTE_ID)
                            .routeDescription("Default: send a session refresh when one is due (RFC 4028 R1)")
                            .to("session-timer:refresh");
                }
                if (needExpiry) {
                    from("session-timer:expired").routeId(EXPIRY_ROUTE_ID)
                            .routeDescription("Default: end an expired session with BYE (RFC 4028 R9)")
                            .to("session-timer:bye");
                }
            }
        });
        LOG.info("Installed default session-timer routes: refresh={} expiry={}", needRefresh, needExpiry);
    }
}
