package org.sessiontimer.camel.cluster;

import java.util.ArrayList;
import java.util.List;

import org.infinispan.protostream.annotations.ProtoAdapter;
import org.infinispan.protostream.annotations.ProtoFactory;
import org.infinispan.protostream.annotations.ProtoField;
import org.infinispan.protostream.annotations.ProtoName;
import org.sessiontimer.camel.core.Role;
import org.sessiontimer.camel.store.CallRecord;

/**
 * How a {@link CallRecord} travels between nodes: as ProtoStream messages, Infinispan's own marshalling. Adapters
 * rather than annotations on the record, so that the store and the core know nothing of Infinispan.
 */
final class CallRecordAdapters {

    private CallRecordAdapters() {
    }

    @ProtoAdapter(CallRecord.class)
    @ProtoName("CallRecord")
    public static final class Record {

        @ProtoFactory
        CallRecord create(String callId, String role, CallRecord.DialogAddress dialog, long localCSeq, long remoteCSeq,
                          String localSdp, boolean peerAllowsUpdate, CallRecord.TimerState timer, String owner,
                          long version, String remoteOrigin, long reinviteInFlight, long startedAtMillis) {
            // the parameters in field number order
            return new CallRecord(callId, Role.valueOf(role), startedAtMillis, dialog, localCSeq, remoteCSeq, localSdp,
                    remoteOrigin, peerAllowsUpdate, timer, reinviteInFlight, owner, version);
        }

        @ProtoField(1)
        String getCallId(CallRecord record) {
            return record.callId();
        }

        @ProtoField(2)
        String getRole(CallRecord record) {
            return record.role().name();
        }

        @ProtoField(3)
        CallRecord.DialogAddress getDialog(CallRecord record) {
            return record.dialog();
        }

        @ProtoField(number = 4, defaultValue = "0")
        long getLocalCSeq(CallRecord record) {
            return record.localCSeq();
        }

        @ProtoField(number = 5, defaultValue = "-1")
        long getRemoteCSeq(CallRecord record) {
            return record.remoteCSeq();
        }

        @ProtoField(6)
        String getLocalSdp(CallRecord record) {
            return record.localSdp();
        }

        @ProtoField(number = 7, defaultValue = "false")
        boolean getPeerAllowsUpdate(CallRecord record) {
            return record.peerAllowsUpdate();
        }

        @ProtoField(8)
        CallRecord.TimerState getTimer(CallRecord record) {
            return record.timer();
        }

        @ProtoField(9)
        String getOwner(CallRecord record) {
            return record.owner();
        }

        @ProtoField(number = 10, defaultValue = "0")
        long getVersion(CallRecord record) {
            return record.version();
        }

        /** Added after 1-10: a record written without it reads as null (no o= of the peer's known). */
        @ProtoField(11)
        String getRemoteOrigin(CallRecord record) {
            return record.remoteOrigin();
        }

        /** Added after 11: a record written without it reads as 0 (no re-INVITE in flight). */
        @ProtoField(number = 12, defaultValue = "0")
        long getReinviteInFlight(CallRecord record) {
            return record.reinviteInFlight();
        }

        /** Added after 12: a record written without it reads as 0 (when the call began is not known). */
        @ProtoField(number = 13, defaultValue = "0")
        long getStartedAtMillis(CallRecord record) {
            return record.startedAtMillis();
        }
    }

    @ProtoAdapter(CallRecord.DialogAddress.class)
    @ProtoName("DialogAddress")
    public static final class Dialog {

        @ProtoFactory
        CallRecord.DialogAddress create(String localUri, String localTag, String remoteUri, String remoteTag,
                                        String remoteTarget, List<String> routeSet, String transport) {
            return new CallRecord.DialogAddress(localUri, localTag, remoteUri, remoteTag, remoteTarget, routeSet,
                    transport);
        }

        @ProtoField(1)
        String getLocalUri(CallRecord.DialogAddress dialog) {
            return dialog.localUri();
        }

        @ProtoField(2)
        String getLocalTag(CallRecord.DialogAddress dialog) {
            return dialog.localTag();
        }

        @ProtoField(3)
        String getRemoteUri(CallRecord.DialogAddress dialog) {
            return dialog.remoteUri();
        }

        @ProtoField(4)
        String getRemoteTag(CallRecord.DialogAddress dialog) {
            return dialog.remoteTag();
        }

        @ProtoField(5)
        String getRemoteTarget(CallRecord.DialogAddress dialog) {
            return dialog.remoteTarget();
        }

        @ProtoField(number = 6, collectionImplementation = ArrayList.class)
        List<String> getRouteSet(CallRecord.DialogAddress dialog) {
            return dialog.routeSet();
        }

        @ProtoField(7)
        String getTransport(CallRecord.DialogAddress dialog) {
            return dialog.transport();
        }
    }

    @ProtoAdapter(CallRecord.TimerState.class)
    @ProtoName("TimerState")
    public static final class Timer {

        @ProtoFactory
        CallRecord.TimerState create(long intervalSeconds, boolean weRefresh, long minSe, long refreshAtEpochMillis,
                                     long expiresAtEpochMillis) {
            return new CallRecord.TimerState(intervalSeconds, weRefresh, minSe, refreshAtEpochMillis,
                    expiresAtEpochMillis);
        }

        @ProtoField(number = 1, defaultValue = "0")
        long getIntervalSeconds(CallRecord.TimerState timer) {
            return timer.intervalSeconds();
        }

        @ProtoField(number = 2, defaultValue = "false")
        boolean getWeRefresh(CallRecord.TimerState timer) {
            return timer.weRefresh();
        }

        @ProtoField(number = 3, defaultValue = "0")
        long getMinSe(CallRecord.TimerState timer) {
            return timer.minSe();
        }

        @ProtoField(number = 4, defaultValue = "-1")
        long getRefreshAtEpochMillis(CallRecord.TimerState timer) {
            return timer.refreshAtEpochMillis();
        }

        @ProtoField(number = 5, defaultValue = "-1")
        long getExpiresAtEpochMillis(CallRecord.TimerState timer) {
            return timer.expiresAtEpochMillis();
        }
    }
}
