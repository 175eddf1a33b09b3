package org.sessiontimer.camel.store;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.sessiontimer.camel.core.Role;
import org.sessiontimer.camel.store.SessionStoreException.Reason;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("In-memory session store (one node)")
class InMemorySessionStoreTest {

    private final InMemorySessionStore store = new InMemorySessionStore("node-1");

    static CallRecord record(String callId) {
        return new CallRecord(callId, Role.UAS, 1_780_000_000_000L,
                new CallRecord.DialogAddress("<sip:camel@127.0.0.1:5060>", "ours", "<sip:peer@127.0.0.1:5070>", "theirs",
                        "sip:peer@127.0.0.1:5070", List.of("<sip:proxy@127.0.0.1:5080;lr>"), "udp"),
                0, 1, "v=0", null, false, new CallRecord.TimerState(1800, true, 90, 1_000, 2_000), 0, null,
                0);
    }

    @Test
    @DisplayName("K1: a created record is owned by this node; each update raises the version and can reserve a CSeq")
    void createAndReserve() {
        CallRecord created = store.create(record("c1"));
        assertThat(created.owner()).isEqualTo("node-1");
        assertThat(created.version()).isEqualTo(1);
        CallRecord reserved = store.update("c1", r -> r.withLocalCSeq(r.localCSeq() + 1));
        assertThat(reserved.localCSeq()).isEqualTo(1);
        assertThat(reserved.version()).isEqualTo(2);
        assertThat(store.get("c1")).isEqualTo(reserved);
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    @DisplayName("K1: no request may be guarded by a record that is gone: the update fails with GONE")
    void updateOfEndedCall() {
        store.create(record("c1"));
        store.remove("c1");
        assertThatThrownBy(() -> store.update("c1", r -> r)).isInstanceOfSatisfying(SessionStoreException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.GONE));
        assertThatThrownBy(() -> store.claim("c1")).isInstanceOf(SessionStoreException.class);
        assertThat(store.size()).isZero();
    }

    @Test
    @DisplayName("K3: one node replicates nothing, and its records stay as they are when claimed")
    void singleNode() {
        assertThat(store.isReplicated()).isFalse();
        CallRecord created = store.create(record("c1"));
        assertThat(store.claim("c1")).isEqualTo(created);
    }

    @Test
    @DisplayName("K2: a target refresh replaces the remote target; the route set and the larger remote CSeq stay")
    void targetRefresh() {
        CallRecord base = record("c1");
        CallRecord refreshed = base.withRemoteRequest(2, "sip:peer@127.0.0.1:5099");
        assertThat(refreshed.dialog().remoteTarget()).isEqualTo("sip:peer@127.0.0.1:5099");
        assertThat(refreshed.dialog().routeSet()).isEqualTo(base.dialog().routeSet());
        assertThat(refreshed.remoteCSeq()).isEqualTo(2);
        assertThat(refreshed.withRemoteRequest(-1, null).remoteCSeq()).isEqualTo(2);
        assertThat(refreshed.withRemoteRequest(-1, null).dialog()).isSameAs(refreshed.dialog());
    }
}
