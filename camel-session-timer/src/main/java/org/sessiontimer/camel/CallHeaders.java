package org.sessiontimer.camel;

import org.apache.camel.Message;
import org.sessiontimer.camel.core.Refresher;
import org.sessiontimer.camel.sip.SipCall;

/** Puts what an exchange says about a call into its headers. */
final class CallHeaders {

    private CallHeaders() {
    }

    static void apply(Message message, SipCall call) {
        message.setHeader(SessionTimerConstants.CALL_ID, call.callId());
        message.setHeader(SessionTimerConstants.ROLE, call.role().name().toLowerCase(java.util.Locale.ROOT));
        long interval = call.intervalSeconds();
        if (interval > 0) {
            Refresher refresher = call.refresher();
            message.setHeader(SessionTimerConstants.INTERVAL, interval);
            message.setHeader(SessionTimerConstants.REFRESHER, refresher == null ? null : refresher.token());
            message.setHeader(SessionTimerConstants.WE_REFRESH, call.weRefresh());
            long next = call.nextRefreshAtMillis();
            if (next > 0) {
                message.setHeader(SessionTimerConstants.NEXT_REFRESH, next);
            }
            message.setHeader(SessionTimerConstants.EXPIRES_AT, call.expiresAtMillis());
        } else {
            message.removeHeader(SessionTimerConstants.INTERVAL);
            message.removeHeader(SessionTimerConstants.REFRESHER);
            message.setHeader(SessionTimerConstants.WE_REFRESH, false);
        }
    }
}
