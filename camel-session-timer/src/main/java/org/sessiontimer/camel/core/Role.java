package org.sessiontimer.camel.core;

/**
 * The role we play in the transaction at hand (RFC 3261 §6). In a refresh it can be the other
 * way round from the initial INVITE: the callee that sends a re-INVITE is its UAC.
 */
public enum Role {
    UAC,
    UAS;

    /** The other role. */
    public Role opposite() {
        return this == UAC ? UAS : UAC;
    }
}
