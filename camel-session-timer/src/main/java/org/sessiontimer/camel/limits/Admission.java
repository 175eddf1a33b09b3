package org.sessiontimer.camel.limits;

/**
 * The answer of {@link AdmissionControl} to one new INVITE: admit it, reject it with a status (and a
 * {@code Retry-After} when {@code retryAfterSeconds > 0}), or drop it without any answer.
 */
public record Admission(Verdict verdict, int statusCode, String reasonPhrase, int retryAfterSeconds, Limit limit) {

    public enum Verdict {
        ADMIT,
        REJECT,
        DROP
    }

    public static final Admission ADMIT = new Admission(Verdict.ADMIT, 0, null, 0, null);

    static Admission refuse(LimitAction action, Limit limit, int statusCode, String reasonPhrase, int retryAfterSeconds) {
        return action == LimitAction.DROP
                ? new Admission(Verdict.DROP, 0, null, 0, limit)
                : new Admission(Verdict.REJECT, statusCode, reasonPhrase, retryAfterSeconds, limit);
    }

    public boolean admitted() {
        return verdict == Verdict.ADMIT;
    }
}
