package org.sessiontimer.camel;

import java.util.Locale;

/** What an endpoint of the session-timer component is for; the URI's path. */
public enum EndpointKind {
    /** Consumer: incoming calls. Producer: outgoing calls (and bye/refresh by header). */
    CALL(true, true),
    /** Consumer: a refresh of ours is due (R1). */
    REFRESH_DUE(true, false),
    /** Consumer: a session expired (R9). */
    EXPIRED(true, false),
    /** Consumer: call events (confirmed, refresh-received, refreshed, refresh-failed, ended). */
    EVENTS(true, false),
    /** Producer: send a session refresh for the call named by CamelSessionTimerCallId. */
    REFRESH(false, true),
    /** Producer: hang up the call named by CamelSessionTimerCallId. */
    BYE(false, true),
    /** Producer: the body becomes the list of active sessions. */
    SESSIONS(false, true);

    private final boolean consumer;
    private final boolean producer;

    EndpointKind(boolean consumer, boolean producer) {
        this.consumer = consumer;
        this.producer = producer;
    }

    public boolean hasConsumer() {
        return consumer;
    }

    public boolean hasProducer() {
        return producer;
    }

    /** The path as written in a URI, e.g. refresh-due. */
    public String path() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static EndpointKind fromPath(String path) {
        for (EndpointKind kind : values()) {
            if (kind.path().equalsIgnoreCase(path)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Unknown session-timer endpoint '" + path + "': use one of"
                                           + " call, refresh-due, expired, events, refresh, bye, sessions");
    }
}
