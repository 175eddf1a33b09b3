/**
 * The RFC 4028 (SIP session timers) core: header values, negotiation and the per-dialog timer.
 *
 * <p>Plain Java 17 on purpose (DESIGN.md "Layers", layer 1): no Camel and no JAIN-SIP types, so
 * every rule of {@code RFC4028.md} (H1-H5, C1-C5, S1-S6, R1-R12) is unit-tested in virtual time.
 * The SIP user agent translates between JAIN-SIP messages and these values:
 * <ul>
 *   <li>{@link org.sessiontimer.camel.core.SessionTimerHeaders}: parse raw header text (§4, §5; H1-H3).</li>
 *   <li>{@link org.sessiontimer.camel.core.UasNegotiator}: answer a request that may carry a timer
 *       (§9, Table 2; S1-S6), also for incoming refreshes (R10).</li>
 *   <li>{@link org.sessiontimer.camel.core.UacNegotiation}: one per outgoing dialog; headers to send,
 *       422 retries and 2xx handling (§7; C1-C5, R3-R5).</li>
 *   <li>{@link org.sessiontimer.camel.core.RefreshMethodPolicy}: UPDATE or re-INVITE (R2).</li>
 *   <li>{@link org.sessiontimer.camel.core.SessionTimer}: one per dialog; the refresh and expiry
 *       timers (§10; R1, R4, R6-R12) on an injected {@link org.sessiontimer.camel.core.TimerScheduler}.</li>
 * </ul>
 */
package org.sessiontimer.camel.core;
