package org.sessiontimer.camel;

import org.sessiontimer.camel.sip.SipCall;
import org.sessiontimer.camel.store.CallOwnership;
import org.sessiontimer.camel.store.CallRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the calls that the session store moves to or from this node to the SIP agent that holds them: adopted calls
 * go to the agent that answers incoming calls (a cluster node normally runs just that one).
 */
final class CallTakeover implements CallOwnership {

    private static final Logger LOG = LoggerFactory.getLogger(CallTakeover.class);

    private final SessionTimerComponent component;

    CallTakeover(SessionTimerComponent component) {
        this.component = component;
    }

    @Override
    public void adopt(CallRecord record, String previousOwner) {
        SharedAgent agent = component.agentForAdoptedCalls();
        if (agent == null) {
            LOG.error("Cannot take over Call-ID={} from node {}: no SIP agent runs on this node", record.callId(),
                    previousOwner);
            return;
        }
        agent.manager().adopt(record, previousOwner);
    }

    @Override
    public void lostAll(String reason) {
        for (SipCall call : component.getCalls().snapshot()) {
            if (call.isRecorded()) {
                call.drop(reason);
            }
        }
    }

    @Override
    public void lost(String callId, String reason) {
        var call = component.findCall(callId);
        if (call != null) {
            call.drop(reason);
        }
    }
}
