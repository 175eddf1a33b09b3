package org.sessiontimer.camel.sip;

import javax.sip.ServerTransaction;
import javax.sip.message.Request;

import org.sessiontimer.camel.core.TimerScheduler;
import org.sessiontimer.camel.core.UasDecision;

/**
 * A re-INVITE or UPDATE of the peer's whose session description is a new offer (R15), while the route (or the
 * default answer) decides: what the 2xx needs once the answer comes, and the deadline for it.
 */
final class MidCallOffer {

    final ServerTransaction transaction;
    final Request request;
    final UasDecision decision;
    final RawTimerHeaders.Values raw;
    /** The offer's o= session id and version, the peer's once the offer is accepted. */
    final String origin;
    final byte[] sdp;
    private TimerScheduler.Cancellable deadline;

    MidCallOffer(ServerTransaction transaction, Request request, UasDecision decision, RawTimerHeaders.Values raw,
                 String origin, byte[] sdp) {
        this.transaction = transaction;
        this.request = request;
        this.decision = decision;
        this.raw = raw;
        this.origin = origin;
        this.sdp = sdp;
    }

    String method() {
        return request.getMethod();
    }

    void deadline(TimerScheduler.Cancellable newDeadline) {
        this.deadline = newDeadline;
    }

    void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel();
            deadline = null;
        }
    }
}
