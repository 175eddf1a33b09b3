package org.sessiontimer.camel.register;

/** Where a {@link Registration} stands, as the health check reports it. */
public enum RegistrationState {
    /** The first REGISTER is on its way. */
    REGISTERING,
    /** The registrar holds our binding. */
    REGISTERED,
    /** The last REGISTER failed; another one is due after the back-off. */
    FAILED,
    /** Stopped: the binding was removed (or never made). */
    UNREGISTERED
}
