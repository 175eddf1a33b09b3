package org.sessiontimer.camel.core;

import java.util.Objects;

/**
 * Who sends the session refreshes: the value of the {@code refresher} parameter of
 * {@code Session-Expires} (RFC 4028 §4).
 *
 * <p>The value names a role <em>in the transaction that carried it</em>, not a party of the
 * dialog: in a refresh sent by the original callee, "uac" means the callee. {@link #weRefresh}
 * is the one place that turns the parameter into "is it us?".
 */
public enum Refresher {
    UAC("uac"),
    UAS("uas");

    private final String token;

    Refresher(String token) {
        this.token = token;
    }

    /** The parameter value as written on the wire: {@code "uac"} or {@code "uas"}. */
    public String token() {
        return token;
    }

    /**
     * Reads a {@code refresher} parameter value; names and values are case-insensitive (H1).
     *
     * @throws IllegalArgumentException for anything but uac/uas (H3 when it comes from the wire)
     */
    public static Refresher fromToken(String value) {
        if (value != null) {
            String trimmed = value.trim();
            if (UAC.token.equalsIgnoreCase(trimmed)) {
                return UAC;
            }
            if (UAS.token.equalsIgnoreCase(trimmed)) {
                return UAS;
            }
        }
        throw new IllegalArgumentException("unknown refresher value: '" + value + "' (expected uac or uas)");
    }

    /** The other role. */
    public Refresher opposite() {
        return this == UAC ? UAS : UAC;
    }

    /** The refresher value that designates the party playing {@code role} in the transaction. */
    public static Refresher of(Role role) {
        return Objects.requireNonNull(role, "role") == Role.UAC ? UAC : UAS;
    }

    /**
     * Whether we send the refreshes, given the refresher named in a transaction and the role we
     * play in that transaction (C2, S1, R4, R10: roles can be the other way round in a refresh).
     */
    public static boolean weRefresh(Refresher refresher, Role ourRoleInTransaction) {
        Objects.requireNonNull(refresher, "refresher");
        return refresher == of(ourRoleInTransaction);
    }

    @Override
    public String toString() {
        return token;
    }
}
