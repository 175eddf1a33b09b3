package org.sessiontimer.camel.core;

import java.util.Objects;

/**
 * The session timer options of RFC4028.md "Configuration", immutable and validated once by
 * {@link Builder#build()}, shared by every dialog of an endpoint.
 *
 * <p>Defaults are the RFC's: interval 1800 s (§4 RECOMMENDED), minimum 90 s (§5), refresher
 * preference uac (S1). Only the clearly named {@code labFloor} may take the minimum below 90,
 * for tests and labs.
 */
public final class SessionTimerConfig {

    /** The smallest Min-SE the RFC allows (§5): 90 seconds. */
    public static final long RFC_MIN_SE = 90;

    private static final SessionTimerConfig DEFAULTS = builder().build();

    private final SessionTimerMode mode;
    private final long sessionExpires;
    private final long minSe;
    private final long maxSessionExpires;
    private final Refresher refresher;
    private final Refresher requestRefresher;
    private final RefreshMethod refreshMethod;
    private final long labFloor;

    private SessionTimerConfig(Builder b) {
        this.mode = b.mode;
        this.sessionExpires = b.sessionExpires;
        this.minSe = b.minSe;
        this.maxSessionExpires = b.maxSessionExpires;
        this.refresher = b.refresher;
        this.requestRefresher = b.requestRefresher;
        this.refreshMethod = b.refreshMethod;
        this.labFloor = b.labFloor;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The RFC defaults (mode optional, 1800/90/7200, refresher uac, re-INVITE). */
    public static SessionTimerConfig defaults() {
        return DEFAULTS;
    }

    /** A builder holding this configuration's values, to derive a variant. */
    public Builder toBuilder() {
        return new Builder()
                .mode(mode).sessionExpires(sessionExpires).minSe(minSe).maxSessionExpires(maxSessionExpires)
                .refresher(refresher).requestRefresher(requestRefresher).refreshMethod(refreshMethod)
                .labFloor(labFloor);
    }

    /** off / optional / required / always (default optional). */
    public SessionTimerMode mode() {
        return mode;
    }

    /** The interval we ask for as UAC (C1) and offer as UAS (S5), seconds (default 1800). */
    public long sessionExpires() {
        return sessionExpires;
    }

    /** The smallest interval we accept, sent as Min-SE (C1) and in 422 (H5), seconds (default 90). */
    public long minSe() {
        return minSe;
    }

    /** The largest interval we accept as UAS; larger requests are lowered to it (S4), seconds (default 7200). */
    public long maxSessionExpires() {
        return maxSessionExpires;
    }

    /** Our preference as UAS when the UAC supports timer but leaves the refresher to us (S1; default uac). */
    public Refresher refresher() {
        return refresher;
    }

    /** The refresher we ask for in our initial INVITE, or {@code null} to leave it to the UAS (C1, §7.1; default). */
    public Refresher requestRefresher() {
        return requestRefresher;
    }

    /** Method for the refreshes we send (R2; default re-INVITE). */
    public RefreshMethod refreshMethod() {
        return refreshMethod;
    }

    /** The smallest Min-SE we use or accept: 90 (§5) unless lowered for a lab, 1..90. */
    public long labFloor() {
        return labFloor;
    }

    /** Whether the lab floor takes us below the RFC's 90 s: the component logs a WARN at start-up. */
    public boolean isBelowRfcFloor() {
        return labFloor < RFC_MIN_SE;
    }

    /** Whether the extension is on at all (any mode but off). */
    public boolean isEnabled() {
        return mode != SessionTimerMode.OFF;
    }

    @Override
    public String toString() {
        return "SessionTimerConfig[mode=" + mode + ", sessionExpires=" + sessionExpires + ", minSe=" + minSe
                + ", maxSessionExpires=" + maxSessionExpires + ", refresher=" + refresher
                + ", requestRefresher=" + requestRefresher + ", refreshMethod=" + refreshMethod
                + ", labFloor=" + labFloor + "]";
    }

    /** Collects the options; {@link #build()} checks them against the RFC. */
    public static final class Builder {
        private SessionTimerMode mode = SessionTimerMode.OPTIONAL;
        private long sessionExpires = 1800;
        private long minSe = RFC_MIN_SE;
        private long maxSessionExpires = 7200;
        private Refresher refresher = Refresher.UAC;
        private Refresher requestRefresher;
        private RefreshMethod refreshMethod = RefreshMethod.INVITE;
        private long labFloor = RFC_MIN_SE;

        private Builder() {
        }

        public Builder mode(SessionTimerMode mode) {
            this.mode = mode;
            return this;
        }

        public Builder sessionExpires(long seconds) {
            this.sessionExpires = seconds;
            return this;
        }

        public Builder minSe(long seconds) {
            this.minSe = seconds;
            return this;
        }

        public Builder maxSessionExpires(long seconds) {
            this.maxSessionExpires = seconds;
            return this;
        }

        public Builder refresher(Refresher refresher) {
            this.refresher = refresher;
            return this;
        }

        /** {@code null} (default) leaves the refresher parameter out of our INVITE (C1). */
        public Builder requestRefresher(Refresher requestRefresher) {
            this.requestRefresher = requestRefresher;
            return this;
        }

        public Builder refreshMethod(RefreshMethod refreshMethod) {
            this.refreshMethod = refreshMethod;
            return this;
        }

        /** Lowers the RFC floor of 90 s for tests and labs only; 1..90. */
        public Builder labFloor(long seconds) {
            this.labFloor = seconds;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the option and the rule it breaks
         */
        public SessionTimerConfig build() {
            require(mode != null, "mode must not be null (off, optional, required or always)");
            require(refresher != null, "refresher must not be null (uac or uas, RFC 4028 §9 Table 2)");
            require(refreshMethod != null, "refreshMethod must not be null (invite, update or auto)");
            require(labFloor >= 1 && labFloor <= RFC_MIN_SE,
                    "labFloor must be 1.." + RFC_MIN_SE + " (it may only lower the RFC 4028 §5 floor of 90): " + labFloor);
            requireDeltaSeconds("sessionExpires", sessionExpires);
            requireDeltaSeconds("minSe", minSe);
            requireDeltaSeconds("maxSessionExpires", maxSessionExpires);
            require(minSe >= labFloor, labFloor == RFC_MIN_SE
                    ? "minSe must be >= 90 (RFC 4028 §5)"
                    : "minSe must be >= labFloor " + labFloor + " (RFC 4028 §5 floor lowered for labs): " + minSe);
            require(sessionExpires >= minSe,
                    "sessionExpires must be >= minSe " + minSe + " (RFC 4028 §5): " + sessionExpires);
            require(maxSessionExpires >= sessionExpires,
                    "maxSessionExpires must be >= sessionExpires " + sessionExpires + " (RFC 4028 §9, S4): " + maxSessionExpires);
            return new SessionTimerConfig(this);
        }

        private static void requireDeltaSeconds(String option, long value) {
            require(value <= DeltaSeconds.MAX,
                    option + " must be <= " + DeltaSeconds.MAX + " (delta-seconds, RFC 3261 §20.19): " + value);
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionTimerConfig c && mode == c.mode && sessionExpires == c.sessionExpires
                && minSe == c.minSe && maxSessionExpires == c.maxSessionExpires && refresher == c.refresher
                && requestRefresher == c.requestRefresher && refreshMethod == c.refreshMethod && labFloor == c.labFloor;
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, sessionExpires, minSe, maxSessionExpires, refresher, requestRefresher,
                refreshMethod, labFloor);
    }
}
