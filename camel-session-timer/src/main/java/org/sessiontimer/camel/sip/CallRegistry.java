package org.sessiontimer.camel.sip;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The calls of one component, keyed by Call-ID. Every way a call ends removes it (R12), so {@link #size()} returning
 * to zero is the proof that nothing leaked.
 */
public final class CallRegistry {

    private final ConcurrentHashMap<String, SipCall> calls = new ConcurrentHashMap<>();

    /** Registers a call; false when the Call-ID is already in use. */
    boolean add(SipCall call) {
        return calls.putIfAbsent(call.callId(), call) == null;
    }

    void remove(SipCall call) {
        calls.remove(call.callId(), call);
    }

    public SipCall get(String callId) {
        return callId == null ? null : calls.get(callId);
    }

    public int size() {
        return calls.size();
    }

    public Collection<SipCall> snapshot() {
        return List.copyOf(calls.values());
    }
}
