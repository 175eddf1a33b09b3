package org.sessiontimer.camel.auth;

/**
 * The user name and password we answer digest challenges with, and the realm they are for.
 *
 * @param username the user name (never blank)
 * @param password the password, empty when none was given
 * @param realm    the only realm whose challenges we answer; null answers any realm
 */
public record DigestCredentials(String username, String password, String realm) {

    /** Credentials from options or headers; null when no user name is set (nothing to answer challenges with). */
    public static DigestCredentials of(String username, String password, String realm) {
        if (username == null || username.isBlank()) {
            return null;
        }
        return new DigestCredentials(username.trim(), password == null ? "" : password,
                realm == null || realm.isBlank() ? null : realm.trim());
    }

    /** Whether a challenge of this realm may be answered with these credentials. */
    public boolean covers(String challengeRealm) {
        return realm == null || realm.equals(challengeRealm);
    }

    /** Never shows the password: these end up in log lines and exception messages. */
    @Override
    public String toString() {
        return "DigestCredentials[username=" + username + ", realm=" + (realm == null ? "(any)" : realm) + "]";
    }
}
