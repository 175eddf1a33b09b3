package org.sessiontimer.camel.auth;

/**
 * A 401 or 407 that we did not answer, and why: no credentials, a realm they are not for, a scheme or algorithm we do
 * not speak, or a challenge to a request that carried our answer already. The request it challenged has failed.
 */
public class UnansweredChallengeException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final String realm;

    public UnansweredChallengeException(int statusCode, String reasonPhrase, String realm, String why) {
        super(statusCode + " " + reasonPhrase + (realm == null ? "" : " (realm \"" + realm + "\")")
              + " not answered: " + why);
        this.statusCode = statusCode;
        this.realm = realm;
    }

    /** 401 or 407. */
    public int statusCode() {
        return statusCode;
    }

    /** The realm of the challenge, or null when it named none. */
    public String realm() {
        return realm;
    }
}
