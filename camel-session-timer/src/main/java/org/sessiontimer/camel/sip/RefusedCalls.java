package org.sessiontimer.camel.sip;

import java.util.Locale;

import javax.sip.RequestEvent;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.sessiontimer.camel.limits.Admission;
import org.sessiontimer.camel.metrics.RejectionReason;

/**
 * New INVITEs that a limit refuses ({@link CallHandler#admit}): answered ({@link StatelessAnswer}) or dropped before
 * any call state exists.
 */
final class RefusedCalls {

    private RefusedCalls() {
    }

    /** True when the INVITE was refused: answered with the limit's status, or dropped. */
    static boolean refused(CallManager manager, SipAgent agent, RequestEvent event) throws Exception {
        Request invite = event.getRequest();
        Admission admission = manager.handler().admit(SipMessages.sourceOf(invite), SipMessages.callIdOf(invite));
        if (admission.admitted()) {
            return false;
        }
        if (admission.verdict() == Admission.Verdict.REJECT) {
            manager.recorder().inviteRejected(new RejectionReason(admission.statusCode(),
                    admission.limit().name().toLowerCase(Locale.ROOT).replace('_', '-')));
            Response response = StatelessAnswer.refusal(agent, invite, admission.statusCode(), admission.reasonPhrase());
            if (admission.retryAfterSeconds() > 0) {
                response.addHeader(agent.headerFactory().createRetryAfterHeader(admission.retryAfterSeconds()));
            }
            StatelessAnswer.send(agent, event, response);
        }
        return true;
    }
}
