package org.sessiontimer.camel;

import org.apache.camel.spi.Metadata;

/**
 * Headers of the session-timer component. Every exchange about a call carries the Call-ID and, while a session timer
 * runs, its interval and refresher.
 */
public final class SessionTimerConstants {

    @Metadata(description = "The Call-ID of the call. Set on every exchange; names the call for the refresh, bye and"
                            + " call (operation bye/refresh) producers.",
              javaType = "String")
    public static final String CALL_ID = "CamelSessionTimerCallId";
    @Metadata(label = "consumer", description = "The From header of an incoming INVITE.", javaType = "String")
    public static final String FROM = "CamelSessionTimerFrom";
    @Metadata(description = "The To header of an incoming INVITE; on the call producer, the SIP URI to call"
                            + " (overrides the endpoint's to option).",
              javaType = "String")
    public static final String TO = "CamelSessionTimerTo";
    @Metadata(description = "The negotiated session interval in seconds (Session-Expires); absent when no session"
                            + " timer runs.",
              javaType = "Long")
    public static final String INTERVAL = "CamelSessionTimerInterval";
    @Metadata(description = "Who refreshes the session, named by the roles of the INVITE that set up the call.",
              javaType = "String", enums = "uac,uas")
    public static final String REFRESHER = "CamelSessionTimerRefresher";
    @Metadata(description = "True when this side sends the refreshes.", javaType = "Boolean")
    public static final String WE_REFRESH = "CamelSessionTimerWeRefresh";
    @Metadata(description = "Our role in the INVITE that set up the call.", javaType = "String", enums = "uac,uas")
    public static final String ROLE = "CamelSessionTimerRole";
    @Metadata(description = "What happened: invite (a new incoming call), offer (a new SDP offer in the peer's"
                            + " re-INVITE or UPDATE; the reply body is the answer), refresh-due, expired, confirmed,"
                            + " refresh-received, refreshed, refresh-failed, answer (the SDP answer in an ACK, as body),"
                            + " early-media (SDP of a provisional answer to our INVITE, as body), ended.",
              javaType = "String",
              enums = "invite,offer,refresh-due,expired,confirmed,refresh-received,refreshed,refresh-failed,answer,"
                      + "early-media,ended")
    public static final String EVENT = "CamelSessionTimerEvent";
    @Metadata(description = "Why: the reason a call ended or a refresh failed; on the bye producer, the reason logged"
                            + " with the BYE.",
              javaType = "String")
    public static final String REASON = "CamelSessionTimerReason";
    @Metadata(label = "consumer", description = "Set by the route answering an incoming call to reject it with this"
                                                + " final status code (400-699), e.g. 486 or 603; on an offer, to"
                                                + " reject the offer (e.g. 488 or 491), the call going on unchanged.",
              javaType = "Integer")
    public static final String STATUS_CODE = "CamelSessionTimerStatusCode";
    @Metadata(label = "consumer", description = "Reason phrase to use with CamelSessionTimerStatusCode.",
              javaType = "String")
    public static final String REASON_PHRASE = "CamelSessionTimerReasonPhrase";
    @Metadata(label = "producer", description = "What the call producer does: invite (place a call, the default),"
                                                + " bye (hang up) or refresh (send a session refresh now).",
              javaType = "String", enums = "invite,bye,refresh")
    public static final String OPERATION = "CamelSessionTimerOperation";
    @Metadata(label = "producer", description = "The user name that the call placed answers digest challenges with"
                                                + " (overrides the endpoint's authUsername, for this call only).",
              javaType = "String")
    public static final String AUTH_USERNAME = "CamelSessionTimerAuthUsername";
    @Metadata(label = "producer", description = "The password of the call placed (overrides the endpoint's"
                                                + " authPassword); removed from the message once read.",
              javaType = "String", secret = true)
    public static final String AUTH_PASSWORD = "CamelSessionTimerAuthPassword";
    @Metadata(label = "producer", description = "The only realm whose challenges the call placed answers (overrides"
                                                + " the endpoint's authRealm).",
              javaType = "String")
    public static final String AUTH_REALM = "CamelSessionTimerAuthRealm";
    @Metadata(description = "When our next refresh is due, epoch milliseconds; absent when the peer refreshes.",
              javaType = "Long")
    public static final String NEXT_REFRESH = "CamelSessionTimerNextRefresh";
    @Metadata(description = "When the session expires unless refreshed, epoch milliseconds.", javaType = "Long")
    public static final String EXPIRES_AT = "CamelSessionTimerExpiresAt";

    private SessionTimerConstants() {
    }
}
