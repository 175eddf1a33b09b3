package org.sessiontimer.camel.core;

/**
 * How much we insist on session timers (RFC4028.md "Configuration", as Asterisk {@code timers=}).
 */
public enum SessionTimerMode {
    /** The extension is off: no headers sent, none interpreted, no timers. */
    OFF,
    /** Use a timer when the peer wants one or supports one (the RFC's normal behaviour). */
    OPTIONAL,
    /** Refuse calls without a timer: 421 as UAS (S6), end the call as UAC (C3). */
    REQUIRED,
    /** Run a timer even with a peer that knows nothing of RFC 4028 (C3, S6): we refresh. */
    ALWAYS
}
