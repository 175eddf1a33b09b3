package org.sessiontimer.camel.core;

/** Configured method for the refreshes we send (R2); {@link RefreshMethodPolicy} applies it per dialog. */
public enum RefreshMethod {
    /** Always re-INVITE with the unchanged session description. */
    INVITE,
    /** UPDATE without a body when the peer's {@code Allow} lists UPDATE, re-INVITE otherwise. */
    UPDATE,
    /** Same rule as {@link #UPDATE} (R2); kept as its own value for the seed's {@code use_update=auto}. */
    AUTO
}
