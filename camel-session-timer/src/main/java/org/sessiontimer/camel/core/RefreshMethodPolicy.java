package org.sessiontimer.camel.core;

import java.util.List;
import java.util.Objects;

/**
 * Chooses the method of the refreshes we send in one dialog (R2): UPDATE without a body when
 * configured ({@code update} or {@code auto}) and the peer's {@code Allow} lists UPDATE
 * (RFC 4028 §7.4 recommends UPDATE, RFC 3311); otherwise re-INVITE with the unchanged session
 * description. A 405 or 501 to an UPDATE refresh falls back to re-INVITE for this and every
 * later refresh of the dialog.
 */
public final class RefreshMethodPolicy {

    public static final String UPDATE = "UPDATE";
    public static final String INVITE = "INVITE";

    private final RefreshMethod configured;
    private volatile boolean peerAllowsUpdate;
    private volatile boolean fellBackToInvite;

    /**
     * @param configured       the configured method
     * @param peerAllowsUpdate whether the peer's {@code Allow} (in its INVITE or 2xx) lists UPDATE
     */
    public RefreshMethodPolicy(RefreshMethod configured, boolean peerAllowsUpdate) {
        this.configured = Objects.requireNonNull(configured, "configured");
        this.peerAllowsUpdate = peerAllowsUpdate;
    }

    /** A policy for a peer whose raw {@code Allow} values are given ({@code null}: none seen). */
    public static RefreshMethodPolicy forAllowHeader(RefreshMethod configured, List<String> allowValues) {
        return new RefreshMethodPolicy(configured, SessionTimerHeaders.allowsMethod(allowValues, UPDATE));
    }

    /** A later message of the peer carried {@code Allow}; it replaces what we knew. */
    public void peerAllowsUpdate(boolean allows) {
        this.peerAllowsUpdate = allows;
    }

    /** {@code "UPDATE"} or {@code "INVITE"} for the next refresh we send (R2). */
    public String methodForNextRefresh() {
        return usesUpdate() ? UPDATE : INVITE;
    }

    /**
     * A refresh we sent was answered with a failure. R2: 405 Method Not Allowed or 501 Not
     * Implemented to an UPDATE means the peer does not do UPDATE after all; fall back to re-INVITE.
     *
     * @return true when it fell back to INVITE and the refresh should be re-sent now as re-INVITE
     */
    public boolean onRefreshRejected(int statusCode) {
        if ((statusCode == 405 || statusCode == 501) && usesUpdate()) {
            fellBackToInvite = true;
            return true;
        }
        return false;
    }

    /** Whether a 405/501 made this dialog fall back to re-INVITE. */
    public boolean fellBackToInvite() {
        return fellBackToInvite;
    }

    /** Whether the peer takes UPDATE: its Allow lists it and it never refused one; what another node needs to know. */
    public boolean peerTakesUpdate() {
        return peerAllowsUpdate && !fellBackToInvite;
    }

    private boolean usesUpdate() {
        return configured != RefreshMethod.INVITE && peerAllowsUpdate && !fellBackToInvite;
    }
}
