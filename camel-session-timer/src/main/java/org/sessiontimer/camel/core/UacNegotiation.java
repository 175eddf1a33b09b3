package org.sessiontimer.camel.core;

import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session timer negotiation of one dialog in which we send requests (RFC 4028 §7; C1-C5, R3-R5):
 * the headers of our INVITE and refreshes, the answer to a 422, the reading of a 2xx.
 *
 * <p>Per-dialog state is a handful of numbers: the largest Min-SE seen in the dialog (C5), the
 * interval we ask for, the 422 retries of the request in progress (C4) and the last refresh we
 * built (to rebuild it after a 422, R5). Methods are synchronized: responses and in-dialog
 * requests of one dialog may arrive on different SIP threads.
 */
public final class UacNegotiation {

    private static final Logger LOG = LoggerFactory.getLogger(UacNegotiation.class);

    /** C4: at most three 422 retries per request; the fourth 422 fails. */
    public static final int MAX_422_RETRIES = 3;

    private final SessionTimerConfig config;
    /** C5: the largest Min-SE seen in this dialog (ours, a 422's, a peer request's). */
    private long largestMinSe;
    /** The interval we ask for in the initial INVITE: configured, raised by 422s (C4). */
    private long requestedInterval;
    /** 422 retries of the request in progress; reset by its 2xx. */
    private int retries;
    /** The last refresh we built, to rebuild it after a 422 (R5); {@code refreshInterval} 0 = none yet. */
    private long refreshInterval;
    private boolean refreshWeStay;
    private boolean warnedAboutFloor;

    public UacNegotiation(SessionTimerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.largestMinSe = config.minSe();
        this.requestedInterval = config.sessionExpires();
    }

    /**
     * C1: the headers of our initial INVITE; after a 422, with the raised values (C4).
     * {@code Session-Expires} (refresher only when configured, §7.1), {@code Min-SE},
     * {@code Supported: timer}. Nothing when the extension is off.
     */
    public synchronized List<SipHeader> initialRequestHeaders() {
        if (!config.isEnabled()) {
            return List.of();
        }
        return List.of(
                new SessionExpires(requestedInterval, config.requestRefresher()).toHeader(),
                new MinSe(largestMinSe, false).toHeader(),
                SipHeader.supportedTimer());
    }

    /**
     * R3: the headers of a refresh (re-INVITE or UPDATE) we send: SE = the current interval,
     * raised to the largest Min-SE seen (C5, §7.4); {@code refresher=uac} when we stay refresher,
     * {@code refresher=uas} to keep the peer as refresher; {@code Min-SE}; {@code Supported: timer}.
     *
     * @param interval        the negotiated interval of the dialog (not the configured default)
     * @param weStayRefresher whether we are and stay the refresher
     */
    public synchronized List<SipHeader> refreshRequestHeaders(long interval, boolean weStayRefresher) {
        if (!config.isEnabled()) {
            return List.of();
        }
        if (interval < 1) {
            throw new IllegalArgumentException("interval must be >= 1: " + interval);
        }
        long sessionExpires = Math.max(interval, largestMinSe);
        refreshInterval = sessionExpires;
        refreshWeStay = weStayRefresher;
        // Roles of this transaction: we are its UAC, so "uac" names us and "uas" names the peer.
        Refresher refresher = weStayRefresher ? Refresher.UAC : Refresher.UAS;
        return List.of(
                new SessionExpires(sessionExpires, refresher).toHeader(),
                new MinSe(largestMinSe, false).toHeader(),
                SipHeader.supportedTimer());
    }

    /**
     * C4 / R5: a 422 to our INVITE or refresh. Retry with Min-SE = the largest seen and
     * SE = max(SE, that Min-SE), at most {@value #MAX_422_RETRIES} times; a 422 without Min-SE,
     * with a malformed one, or one that does not raise the minimum fails (no 422 loops).
     *
     * @param minSeValues the raw Min-SE values of the 422
     */
    public synchronized UacRetry on422(List<String> minSeValues) {
        if (!config.isEnabled()) {
            return new UacRetry.Fail("422 Session Interval Too Small although session timers are off");
        }
        if (retries >= MAX_422_RETRIES) {
            return new UacRetry.Fail("422 Session Interval Too Small after " + MAX_422_RETRIES
                    + " retries (RFC 4028 §7.1, C4)");
        }
        if (minSeValues == null || minSeValues.isEmpty()) {
            return new UacRetry.Fail("422 Session Interval Too Small without Min-SE (RFC 4028 §6 requires it)");
        }
        MinSe minSe;
        try {
            minSe = SessionTimerHeaders.parseMinSe(minSeValues, config.labFloor());
        } catch (HeaderException e) {
            return new UacRetry.Fail("422 with malformed " + e.getMessage());
        }
        if (minSe.seconds() <= largestMinSe) {
            return new UacRetry.Fail("422 Session Interval Too Small with Min-SE " + minSe.seconds()
                    + " that does not raise our minimum " + largestMinSe + " (C4)");
        }
        retries++;
        largestMinSe = minSe.seconds();
        requestedInterval = Math.max(requestedInterval, largestMinSe);
        LOG.debug("422 Session Interval Too Small: retry {} with Min-SE {}", retries, largestMinSe);
        if (refreshInterval > 0) {
            // R5: the 422 answered a refresh; rebuild it with the raised values.
            return new UacRetry.Retry(refreshRequestHeaders(refreshInterval, refreshWeStay));
        }
        return new UacRetry.Retry(initialRequestHeaders());
    }

    /**
     * C2, C3, R4: a 2xx to our INVITE or refresh.
     *
     * @param sessionExpiresValues  the raw Session-Expires (and {@code x}) values of the 2xx
     * @param ourRoleInTransaction  our role in the transaction the 2xx answers (UAC for our requests)
     */
    public synchronized UacResult on2xx(List<String> sessionExpiresValues, Role ourRoleInTransaction) {
        Objects.requireNonNull(ourRoleInTransaction, "ourRoleInTransaction");
        retries = 0; // the request succeeded; a later one starts its own count of 422s
        if (!config.isEnabled()) {
            return UacResult.NoTimer.INSTANCE;
        }
        SessionExpires answered;
        try {
            answered = SessionTimerHeaders.parseSessionExpires(sessionExpiresValues);
        } catch (HeaderException e) {
            // H3: in a response a malformed value fails the transaction with a clear error.
            return new UacResult.Fail("2xx with malformed " + e.getMessage());
        }

        if (answered == null) {
            return switch (config.mode()) {
                // C3 / §7.2: no Session-Expires, no session timer ...
                case OPTIONAL -> UacResult.NoTimer.INSTANCE;
                // ... unless we insist: refresh ourselves at our own interval ...
                case ALWAYS -> new UacResult.Timer(requestedInterval, Refresher.of(ourRoleInTransaction), true);
                // ... or we require one: the call is ended with BYE and reported as failed.
                case REQUIRED -> new UacResult.Fail(
                        "2xx without Session-Expires but session timers are required (C3)");
                case OFF -> throw new IllegalStateException("unreachable");
            };
        }
        if (answered.seconds() == 0) {
            return new UacResult.Fail("2xx with Session-Expires: 0, not a usable session interval");
        }
        if (answered.seconds() < largestMinSe && !warnedAboutFloor) {
            // §9 forbids a UAS to go below our Min-SE; we still follow the 2xx, it has the last word (§7.2).
            warnedAboutFloor = true;
            LOG.warn("2xx Session-Expires {} is below our Min-SE {}; using it anyway", answered.seconds(), largestMinSe);
        }
        if (answered.refresher() == null) {
            // C2 choice: a non-compliant UAS left R out of the 2xx; we refresh, which keeps the call up.
            return new UacResult.Timer(answered.seconds(), Refresher.of(ourRoleInTransaction), true);
        }
        // C2: R=uac -> we refresh; R=uas -> the peer does, we watch for expiry.
        return new UacResult.Timer(answered.seconds(), answered.refresher(),
                Refresher.weRefresh(answered.refresher(), ourRoleInTransaction));
    }

    /**
     * C5: a Min-SE seen anywhere in the dialog (e.g. in the peer's refresh); later requests carry
     * the largest. Values below the configured minimum change nothing.
     */
    public synchronized void observeMinSe(long seconds) {
        if (seconds > largestMinSe) {
            largestMinSe = seconds;
        }
    }

    /** C5: the largest Min-SE seen in this dialog, sent in every later request. */
    public synchronized long largestMinSe() {
        return largestMinSe;
    }

    /** 422 retries of the request in progress. */
    public synchronized int retries() {
        return retries;
    }
}
