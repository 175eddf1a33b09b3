/**
 * Registration of our Contact with a registrar (RFC 3261 §10), for trunks that send calls to whoever registered: one
 * {@link org.sessiontimer.camel.register.Registration} per {@code session-timer:call} consumer with a
 * {@code registrar} option. It registers at start, refreshes the binding before it lapses, registers again after a
 * failure with a growing back-off, answers digest challenges with the endpoint's credentials, and removes the binding
 * at stop. Its state is part of the consumer's health check.
 */
package org.sessiontimer.camel.register;
