package org.sessiontimer.camel.limits;

/** The limits that refuse or end calls, each counted in {@link LimitStats}. */
public enum Limit {
    /** {@code allowedSources}: an INVITE from an address outside the list (403 or dropped). */
    SOURCE_NOT_ALLOWED("allowedSources"),
    /** {@code maxCallsPerSecondPerSource}: one address sent new INVITEs faster (503 or dropped). */
    SOURCE_CALL_RATE("maxCallsPerSecondPerSource"),
    /** {@code maxSessions}: the component had that many active sessions (503 with Retry-After). */
    MAX_SESSIONS("maxSessions"),
    /** {@code maxCallsPerSecond}: new INVITEs came faster from all sources together (503). */
    CALL_RATE("maxCallsPerSecond"),
    /** The answering route's threads and queue were all busy (503). */
    OVERLOAD("answering route busy"),
    /** {@code maxSessionDuration}: a call without a session timer lasted that long (BYE). */
    MAX_SESSION_DURATION("maxSessionDuration");

    private final String option;

    Limit(String option) {
        this.option = option;
    }

    /** The option that sets the limit, or what the limit is when no option sets it. */
    public String option() {
        return option;
    }
}
