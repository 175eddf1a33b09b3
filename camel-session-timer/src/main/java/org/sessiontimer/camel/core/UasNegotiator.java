package org.sessiontimer.camel.core;

import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a request that may ask for a session timer, as UAS (RFC 4028 §9 and Table 2): the
 * initial INVITE, and every re-INVITE or UPDATE in the dialog, which is a refresh (R10).
 *
 * <p>Stateless and thread-safe: one instance per configuration serves all dialogs.
 */
public final class UasNegotiator {

    private static final Logger LOG = LoggerFactory.getLogger(UasNegotiator.class);

    /** §6: the reason phrase of 422. */
    public static final String REASON_422 = "Session Interval Too Small";
    /** RFC 3261 §21.4.15. */
    public static final String REASON_421 = "Extension Required";

    private static final List<SipHeader> SUPPORTED_ONLY = List.of(SipHeader.supportedTimer());

    private final SessionTimerConfig config;
    private final UasDecision.Reject intervalTooSmall;
    private final UasDecision.Reject extensionRequired;

    public UasNegotiator(SessionTimerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        // Both refusals are the same for every request: built once.
        this.intervalTooSmall = new UasDecision.Reject(422, REASON_422,
                List.of(new MinSe(config.minSe(), false).toHeader())); // H5: 422 always carries our Min-SE
        this.extensionRequired = new UasDecision.Reject(421, REASON_421, List.of(SipHeader.requireTimer()));
    }

    public SessionTimerConfig config() {
        return config;
    }

    /** Decides the answer to {@code request}; never throws for anything the peer sent. */
    public UasDecision negotiate(TimerRequest request) {
        Objects.requireNonNull(request, "request");
        if (config.mode() == SessionTimerMode.OFF) {
            // Extension off: we do not advertise it (no Supported: timer) and read none of its headers.
            return new UasDecision.AcceptWithoutTimer(List.of());
        }

        SessionExpires requested;
        MinSe requestMinSe;
        try {
            requested = SessionTimerHeaders.parseSessionExpires(request.sessionExpiresValues());
            requestMinSe = SessionTimerHeaders.parseMinSe(request.minSeValues(), config.labFloor());
        } catch (HeaderException e) {
            // H3: a malformed value in a request gets 400 whose reason phrase names the header.
            LOG.debug("Rejecting request with 400: {}", e.getMessage());
            return new UasDecision.Reject(400, e.reasonPhrase(), List.of());
        }
        if (requestMinSe.raisedToFloor()) {
            // H2 choice: a Min-SE below the floor is read as the floor. The SIP layer logs it at WARN with the
            // Call-ID, once per dialog; here there is no dialog to name.
            LOG.debug("Peer sent Min-SE below {} s; read as {} s (RFC 4028 §5)", config.labFloor(), requestMinSe.seconds());
        }
        boolean supportsTimer = request.supportsTimer();

        if (requested == null) {
            return withoutSessionExpires(supportsTimer, requestMinSe);
        }

        if (requested.seconds() < config.minSe()) {
            if (supportsTimer) {
                // S3 / §9: too small and the UAC understands 422: reject, telling it our minimum (H5).
                return intervalTooSmall;
            }
            // S3 choice: the UAC cannot be expected to understand 422 (a proxy inserted the small
            // value). We accept, raise the interval to our minimum and refresh ourselves (R=uas);
            // the proxy reads the raised value in the 2xx. No Require: timer (S2).
            long interval = Math.max(config.minSe(), requestMinSe.seconds());
            return accept(interval, Refresher.UAS, false);
        }

        // S4: never above what the request asked; we may lower it to our maximum, but never below
        // the request's Min-SE.
        long interval = Math.min(requested.seconds(), Math.max(config.maxSessionExpires(), requestMinSe.seconds()));

        // S1 / Table 2.
        Refresher refresher;
        if (!supportsTimer) {
            refresher = Refresher.UAS; // the UAC cannot refresh what it does not know of
        } else if (requested.refresher() == null) {
            refresher = config.refresher(); // left to us: our preference
        } else {
            refresher = requested.refresher(); // the UAC chose
        }
        // S2: R=uac requires timer (MUST); R=uas with a UAC that supports timer too (SHOULD, we do);
        // never Require: timer towards a UAC that did not say Supported: timer.
        return accept(interval, refresher, supportsTimer);
    }

    /** The request carried no Session-Expires: S5 and S6. */
    private UasDecision withoutSessionExpires(boolean supportsTimer, MinSe requestMinSe) {
        long ourInterval = Math.max(config.sessionExpires(), requestMinSe.seconds());
        if (supportsTimer) {
            // S5: the UAC supports timer but asked for none: we put SE and R (per S1) in the 2xx.
            return accept(ourInterval, config.refresher(), true);
        }
        return switch (config.mode()) {
            // S6: a peer that knows nothing of session timers.
            case ALWAYS -> accept(ourInterval, Refresher.UAS, false); // we refresh; no Require (S2)
            case REQUIRED -> extensionRequired;                        // 421 + Require: timer
            default -> new UasDecision.AcceptWithoutTimer(SUPPORTED_ONLY); // optional: no timer (H4 still)
        };
    }

    private static UasDecision.Accept accept(long interval, Refresher refresher, boolean requireTimer) {
        SipHeader sessionExpires = new SessionExpires(interval, refresher).toHeader();
        List<SipHeader> headers = requireTimer
                ? List.of(sessionExpires, SipHeader.requireTimer(), SipHeader.supportedTimer())
                : List.of(sessionExpires, SipHeader.supportedTimer());
        LOG.debug("Negotiated session timer sessionExpires={} refresher={} requireTimer={}",
                interval, refresher, requireTimer);
        return new UasDecision.Accept(interval, refresher, requireTimer, headers);
    }
}
