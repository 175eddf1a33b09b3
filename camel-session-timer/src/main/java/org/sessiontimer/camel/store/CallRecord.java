package org.sessiontimer.camel.store;

import java.util.List;
import java.util.Objects;

import org.sessiontimer.camel.core.Role;

/**
 * What another node needs to speak for a confirmed call and to re-arm its session timer: the dialog's addressing
 * (RFC 3261 §12), our current session description, and the negotiated timer with its deadlines. Immutable; the
 * {@link SessionStore} keeps one per call, written when the call is confirmed, before every request we send in it
 * and after every refresh, and removed when the call ends. Early dialogs and transactions are never recorded.
 *
 * @param callId        the Call-ID
 * @param role          our role in the INVITE that set the call up
 * @param startedAtMillis when the call began (its INVITE came or went), wall-clock epoch ms, 0 when unknown: a node
 *                      taking the call over keeps counting from it (maxSessionDuration, the call's age)
 * @param dialog        Call-ID aside, how to address a request in the dialog
 * @param localCSeq     the CSeq of the last request we sent or reserved in the dialog
 * @param remoteCSeq    the CSeq of the last request the peer sent, -1 before the first
 * @param localSdp      the session description we sent last, resent unchanged in a refresh
 * @param remoteOrigin  session id and version of the o= line of the session description the peer sent last
 *                      ("4711 4712"), null before any: a request whose o= differs is a new offer, not only a
 *                      refresh (R15)
 * @param peerAllowsUpdate whether our refreshes may use UPDATE (R2): the peer allows it and never refused it
 * @param timer         the negotiated session timer and its deadlines
 * @param reinviteInFlight the CSeq of a re-INVITE we sent whose final answer its sender has not recorded, 0 when
 *                      none: a node taking the call over ACKs it, since a 2xx to it went to the node that sent it
 * @param owner         the node that holds the call and alone may send in it (K1)
 * @param version       incremented by the store on every write
 */
public record CallRecord(String callId, Role role, long startedAtMillis, DialogAddress dialog, long localCSeq,
        long remoteCSeq, String localSdp, String remoteOrigin, boolean peerAllowsUpdate, TimerState timer,
        long reinviteInFlight, String owner, long version) {

    public CallRecord {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(dialog, "dialog");
        Objects.requireNonNull(timer, "timer");
    }

    /**
     * The addressing of a dialog, from our side: what goes into From (ours) and To (the peer's), where requests go
     * (the peer's Contact, through the route set) and over which transport.
     *
     * @param localUri     our address (From of our requests), without tag
     * @param localTag     our tag
     * @param remoteUri    the peer's address (To of our requests), without tag
     * @param remoteTag    the peer's tag
     * @param remoteTarget the peer's Contact URI: the Request-URI of our requests
     * @param routeSet     the Route values of our requests, in order (Record-Route as RFC 3261 §12.1 sets it)
     * @param transport    udp, tcp or tls
     */
    public record DialogAddress(String localUri, String localTag, String remoteUri, String remoteTag,
            String remoteTarget, List<String> routeSet, String transport) {

        public DialogAddress {
            routeSet = routeSet == null ? List.of() : List.copyOf(routeSet);
        }

        /** The same dialog after a target refresh (RFC 3261 §12.2): the peer's new Contact. */
        public DialogAddress withRemoteTarget(String target) {
            return target == null || target.equals(remoteTarget) ? this
                    : new DialogAddress(localUri, localTag, remoteUri, remoteTag, target, routeSet, transport);
        }
    }

    /**
     * A session timer as stored: deadlines in wall-clock epoch milliseconds, since they are read by other nodes
     * (each converts them to its own monotonic clock).
     *
     * @param intervalSeconds      the session interval, 0 when the call has no session timer
     * @param weRefresh            whether we (whichever node owns the call) send the refreshes
     * @param minSe                the largest Min-SE seen in the dialog (C5)
     * @param refreshAtEpochMillis when our next refresh is due, -1 when none is (the peer refreshes, or ours is
     *                             on its way)
     * @param expiresAtEpochMillis when the session expires unless refreshed (R9), -1 without a timer
     */
    public record TimerState(long intervalSeconds, boolean weRefresh, long minSe, long refreshAtEpochMillis,
            long expiresAtEpochMillis) {

        /** No session timer in the call. */
        public static TimerState none(long minSe) {
            return new TimerState(0, false, minSe, -1, -1);
        }

        public boolean isActive() {
            return intervalSeconds > 0;
        }
    }

    public CallRecord withLocalCSeq(long cseq) {
        return new CallRecord(callId, role, startedAtMillis, dialog, cseq, remoteCSeq, localSdp, remoteOrigin,
                peerAllowsUpdate, timer, reinviteInFlight, owner, version);
    }

    public CallRecord withRemoteRequest(long cseq, String remoteTarget) {
        return new CallRecord(callId, role, startedAtMillis, dialog.withRemoteTarget(remoteTarget), localCSeq,
                Math.max(cseq, remoteCSeq), localSdp, remoteOrigin, peerAllowsUpdate, timer, reinviteInFlight, owner,
                version);
    }

    /**
     * The same call with what its owner knows now: timer, Min-SE, method policy, our session description and the
     * o= of the peer's.
     */
    public CallRecord withSession(TimerState newTimer, boolean allowsUpdate, String sdp, String peerOrigin) {
        return new CallRecord(callId, role, startedAtMillis, dialog, localCSeq, remoteCSeq, sdp, peerOrigin,
                allowsUpdate, newTimer, reinviteInFlight, owner, version);
    }

    /** Written by the store only. */
    public CallRecord withOwnerAndVersion(String newOwner, long newVersion) {
        return new CallRecord(callId, role, startedAtMillis, dialog, localCSeq, remoteCSeq, localSdp, remoteOrigin,
                peerAllowsUpdate, timer, reinviteInFlight, newOwner, newVersion);
    }

    /** The same call with the re-INVITE we sent and await the answer of, 0 for none. */
    public CallRecord withReinviteInFlight(long cseq) {
        return cseq == reinviteInFlight ? this : new CallRecord(callId, role, startedAtMillis, dialog, localCSeq,
                remoteCSeq, localSdp, remoteOrigin, peerAllowsUpdate, timer, cseq, owner, version);
    }
}
