package org.sessiontimer.camel.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Set;

import javax.sip.header.RequireHeader;
import javax.sip.message.Request;

import org.sessiontimer.camel.metrics.RejectionReason;

/**
 * What RFC 3261 asks a UAS to check before it acts on a request's method: the Request-URI scheme (§8.2.2.1, 416) and
 * the option tags in {@code Require} (§8.2.2.3, 420 with {@code Unsupported}). A request that fails is refused before
 * any call logic sees it. Two checks are JAIN-SIP's and never get here: a garbage Request-URI (its parser answers 400)
 * and another SIP version (its message channels answer 505, once {@link TimerHeaderParser} keeps the version).
 */
final class RequestValidation {

    /** Request-URI schemes we answer; tel: and any other scheme get 416. */
    private static final Set<String> URI_SCHEMES = Set.of("sip", "sips");

    /**
     * Why a request is refused: the reason with its status, and for 420 the option tags to list in
     * {@code Unsupported}.
     */
    record Refusal(RejectionReason reason, List<String> unsupported) {

        int status() {
            return reason.status();
        }

        /** For the logs: "420 bad-extension [100rel]". */
        String describe() {
            return reason + (unsupported.isEmpty() ? "" : " " + unsupported);
        }
    }

    private RequestValidation() {
    }

    /**
     * The refusal this request earns, or null when it may go on. {@code supportedOptionTags} are lower case (timer when
     * session timers are on). ACK is never refused (it has no answer); CANCEL is not checked for Require, which
     * RFC 3261 §8.2.2.3 says to ignore there.
     */
    static Refusal check(Request request, Set<String> supportedOptionTags) {
        String method = request.getMethod();
        if (Request.ACK.equals(method)) {
            return null;
        }
        String scheme = request.getRequestURI().getScheme();
        if (scheme == null || !URI_SCHEMES.contains(scheme.toLowerCase(Locale.ROOT))) {
            return new Refusal(RejectionReason.UNSUPPORTED_URI_SCHEME, List.of());
        }
        if (Request.CANCEL.equals(method)) {
            return null;
        }
        List<String> unsupported = new ArrayList<>();
        ListIterator<?> requires = request.getHeaders(RequireHeader.NAME);
        while (requires.hasNext()) {
            String tag = ((RequireHeader) requires.next()).getOptionTag();
            if (tag != null && !supportedOptionTags.contains(tag.trim().toLowerCase(Locale.ROOT))
                    && !unsupported.contains(tag.trim())) {
                unsupported.add(tag.trim());
            }
        }
        return unsupported.isEmpty() ? null : new Refusal(RejectionReason.BAD_EXTENSION, List.copyOf(unsupported));
    }
}
