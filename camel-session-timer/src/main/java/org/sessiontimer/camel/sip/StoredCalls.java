package org.sessiontimer.camel.sip;

import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;

import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

import org.sessiontimer.camel.core.Role;
import org.sessiontimer.camel.store.CallRecord;
import org.sessiontimer.camel.store.SessionStore;
import org.sessiontimer.camel.store.SessionStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls in the session store (K1-K4): recorded when confirmed, fenced before every request we send (the write that
 * proves this node owns the call and reserves the CSeq), updated after every refresh; and the calls that change hands,
 * taken over from a node that died or from a request that came here, or lost to another node.
 */
final class StoredCalls {

    private static final Logger LOG = LoggerFactory.getLogger(StoredCalls.class);

    private final CallManager manager;
    private final SipAgent agent;
    private final CallRegistry registry;
    private final SessionStore store;

    StoredCalls(CallManager manager, SipAgent agent, CallRegistry registry, SessionStore store) {
        this.manager = manager;
        this.agent = agent;
        this.registry = registry;
        this.store = store;
    }

    /**
     * Records a call just confirmed here, owned by this node (K1). Throws {@link SessionStoreException} when the
     * store cannot take it; the caller then refuses or ends the call.
     */
    void record(SipCall call, CallRecord.DialogAddress address, long localCSeq, long remoteCSeq) {
        CallRecord initial = new CallRecord(call.callId(), call.role(), call.createdAtMillis(), address, localCSeq,
                remoteCSeq, null, null, false, CallRecord.TimerState.none(0), 0, store.nodeName(), 0);
        call.stored(store.create(call.snapshot(initial)));
    }

    /**
     * K1: the write that lets us send {@code method} in the dialog: proves that this node owns the call and reserves
     * the request's CSeq, in one step. Returns the record with the reserved CSeq, or null when the call is not ours
     * (any more) or the store cannot tell: the call is then dropped here, the request must not be sent.
     */
    CallRecord reserve(SipCall call, String method) {
        return write(call, method, stored -> {
            long cseq = stored.localCSeq() + 1;
            CallRecord reserved = call.snapshot(stored).withLocalCSeq(cseq);
            // should we die before its answer, the node taking over ACKs the 2xx that came to us
            return Request.INVITE.equals(method) ? reserved.withReinviteInFlight(cseq) : reserved;
        });
    }

    /** Records what a refresh either way changed (interval, refresher, deadlines); false when the call is dropped. */
    boolean recordSession(SipCall call, UnaryOperator<CallRecord> change) {
        return write(call, "refresh", stored -> change.apply(call.snapshot(stored))) != null;
    }

    private CallRecord write(SipCall call, String what, UnaryOperator<CallRecord> change) {
        try {
            CallRecord written = store.update(call.callId(), change);
            call.stored(written);
            return written;
        } catch (SessionStoreException e) {
            // logged once: the call is dropped right after
            if (e.reason() == SessionStoreException.Reason.UNAVAILABLE) {
                LOG.warn("Not sending {} for Call-ID={}: the session store cannot prove this node owns the call ({});"
                         + " dropping it here", what, call.callId(), e.getMessage());
            } else {
                LOG.info("Not sending {} for Call-ID={}: {} ({}); dropping it here", what, call.callId(),
                        e.reason() == SessionStoreException.Reason.GONE ? "it ended on another node"
                                : "another node owns it", e.getMessage());
            }
            manager.forget(call, "not owned here: " + e.reason().name().toLowerCase(Locale.ROOT));
            return null;
        }
    }

    /**
     * K2, K3: holds a call that this node now owns in the store (its owner left, or the peer's request came here):
     * rebuilt from its record, timers resumed from the stored deadlines. Returns the call held here.
     */
    SipCall adopt(CallRecord record, String previousOwner) {
        SipCall call = SipCall.adopted(manager, record, manager.inboundNegotiator().config(),
                new RecordDialogLink(agent, manager));
        if (!registry.add(call)) {
            SipCall held = registry.get(record.callId());
            return held != null ? held : call;
        }
        synchronized (call) {
            if (record.reinviteInFlight() > 0) {
                ackReinviteInFlight(call, record, previousOwner);
            }
            call.resumeTimer();
        }
        LOG.info("Took over Call-ID={} from node {} (interval={} weRefresh={})", call.callId(), previousOwner,
                record.timer().intervalSeconds(), record.timer().weRefresh());
        manager.handler().callEvent(call, CallEvent.ADOPTED, previousOwner);
        return call;
    }

    /**
     * K2: the node that held the call sent a re-INVITE and left before its answer. A 2xx to it went to that node
     * (responses follow the Via), so nobody ACKed it, and the peer would end the call once it gives up retransmitting
     * (RFC 3261 §13.3.1.4). We ACK it blind, before anything else we send in the dialog: a peer that never got the
     * re-INVITE, or did not answer it 2xx, drops an ACK that matches none of its transactions. Whether the peer took
     * it as a refresh we cannot tell, so the timer's resumption sends a refresh of its own at once: the peer may see
     * two, which RFC 4028 allows; missing one would cost the call.
     */
    private void ackReinviteInFlight(SipCall call, CallRecord record, String previousOwner) {
        long cseq = record.reinviteInFlight();
        DialogLink link = call.link();
        try {
            Request ack = link.createRequest(Request.ACK, record);
            LOG.info("ACKing the re-INVITE (CSeq {}) node {} sent in Call-ID={} just before it left", cseq,
                    previousOwner, call.callId());
            manager.sendQueues().submit(ack, SendQueues.Send.of(() -> link.ack(cseq, record),
                    cause -> LOG.warn("Cannot ACK the re-INVITE in flight of Call-ID={}: {}", call.callId(),
                            cause.getMessage())));
        } catch (Exception e) {
            LOG.warn("Cannot ACK the re-INVITE in flight of Call-ID={}: {}", call.callId(), e.getMessage());
        }
    }

    /** K4: this node can no longer prove it owns the call: drop it without sending anything. */
    void lost(String callId, String reason) {
        SipCall call = registry.get(callId);
        if (call != null && call.manager() == manager) {
            LOG.warn("Dropping Call-ID={} on this node: {}", callId, reason);
            manager.forget(call, reason);
        }
    }

    /**
     * K2: the call that an initial INVITE set up, when this node took it over: the node that answered the INVITE
     * recorded the call and left before the caller got its 2xx, and the caller now retransmits the INVITE through the
     * front door to us. Null for any other INVITE (the same Call-ID with another From tag or CSeq is not this call).
     */
    SipCall adoptedBy(Request invite) {
        if (!store.isReplicated()) {
            return null;
        }
        SipCall held = registry.get(SipMessages.callIdOf(invite));
        CallRecord record = held == null || !held.isAdopted() ? null : held.stored();
        if (record == null || record.role() != Role.UAS) {
            return null;
        }
        String fromTag = ((FromHeader) invite.getHeader(FromHeader.NAME)).getTag();
        long cseq = ((CSeqHeader) invite.getHeader(CSeqHeader.NAME)).getSeqNumber();
        return Objects.equals(fromTag, record.dialog().remoteTag()) && cseq == record.remoteCSeq() ? held : null;
    }

    /** K3: the call of an in-dialog request this node does not hold, taken over when the store has it. */
    SipCall takeOver(String callId) {
        if (!store.isReplicated() || callId == null) {
            return null;
        }
        CallRecord known = store.get(callId);
        if (known == null) {
            return null;
        }
        CallRecord claimed = store.claim(callId);
        return adopt(claimed, known.owner());
    }

    /**
     * A 2xx repeated after its transaction ended: JAIN-SIP's dialog re-sends our ACK itself, but a call taken over
     * from another node has no dialog here, so we do (RFC 3261 §13.2.2.4).
     */
    void reAckAdopted(Response response) {
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        if (response.getStatusCode() / 100 != 2 || cseq == null || !Request.INVITE.equals(cseq.getMethod())) {
            return;
        }
        CallIdHeader callId = (CallIdHeader) response.getHeader(CallIdHeader.NAME);
        SipCall call = registry.get(callId == null ? null : callId.getCallId());
        if (call != null && call.isAdopted()) {
            synchronized (call) {
                try {
                    call.link().ack(cseq.getSeqNumber(), call.stored());
                } catch (Exception e) {
                    LOG.debug("Cannot ACK repeated 2xx of Call-ID={}: {}", call.callId(), e.toString());
                }
            }
        }
    }
}
