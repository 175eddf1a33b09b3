package org.sessiontimer.camel.limits;

import java.util.Locale;

/** What a source limit does with an INVITE it refuses. */
public enum LimitAction {
    /** Answer it (403 or 503), so that a legitimate peer knows and can try elsewhere. */
    REJECT,
    /** Send nothing back, not even 100 Trying: a scanner learns nothing, a flood gets no replies to amplify. */
    DROP;

    /** Reads an option value, naming the option when it is neither reject nor drop. */
    public static LimitAction of(String option, String value) {
        if (value != null) {
            for (LimitAction action : values()) {
                if (action.name().equalsIgnoreCase(value.trim())) {
                    return action;
                }
            }
        }
        throw new IllegalArgumentException(option + " must be reject or drop, was '" + value + "'");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
