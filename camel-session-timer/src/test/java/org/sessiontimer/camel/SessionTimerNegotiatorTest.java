package org.sessiontimer.camel;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SessionTimerNegotiatorTest {

    private final SessionTimerNegotiator negotiator = SessionTimerNegotiator.withDefaults();

    private Exchange exchange() {
        return new DefaultExchange(new DefaultCamelContext());
    }

    @Test
    @DisplayName("S1 S2: the processor accepts with the UAC's interval, refresher uac and Require: timer")
    void accepts() {
        Exchange exchange = exchange();
        exchange.getMessage().setHeader("Session-Expires", "1200");
        exchange.getMessage().setHeader("Supported", List.of("100rel", "timer"));

        negotiator.process(exchange);

        assertThat(exchange.getMessage().getHeader(SessionTimerConstants.INTERVAL)).isEqualTo(1200L);
        assertThat(exchange.getMessage().getHeader(SessionTimerConstants.REFRESHER)).isEqualTo("uac");
        assertThat(exchange.getMessage().getHeader("Session-Expires")).isEqualTo("1200;refresher=uac");
        assertThat(exchange.getMessage().getHeader("Require")).isEqualTo("timer");
        assertThat(exchange.getMessage().getHeader(SessionTimerConstants.STATUS_CODE)).isNull();
    }

    @Test
    @DisplayName("S3 H5: the processor answers 422 with Min-SE for a too small interval")
    void rejectsTooSmall() {
        Exchange exchange = exchange();
        exchange.getMessage().setHeader("x", "60");
        exchange.getMessage().setHeader("Supported", "timer");

        negotiator.process(exchange);

        assertThat(exchange.getMessage().getHeader(SessionTimerConstants.STATUS_CODE)).isEqualTo(422);
        assertThat(exchange.getMessage().getHeader("Min-SE")).isEqualTo("90");
        assertThat(exchange.getMessage().getHeader(SessionTimerConstants.INTERVAL)).isNull();
    }

    @Test
    @DisplayName("H3: the processor answers 400 naming Session-Expires for a malformed value")
    void rejectsMalformed() {
        Exchange exchange = exchange();
        exchange.getMessage().setHeader("Session-Expires", "abc");

        negotiator.process(exchange);

        assertThat(exchange.getMessage().getHeader(SessionTimerConstants.STATUS_CODE)).isEqualTo(400);
        assertThat(exchange.getMessage().getHeader(SessionTimerConstants.REASON_PHRASE, String.class))
                .contains("Session-Expires");
    }

    @Test
    @DisplayName("S6: without timer support and without Session-Expires, mode optional runs no timer and sets no Require")
    void noTimer() {
        Exchange exchange = exchange();

        negotiator.process(exchange);

        assertThat(exchange.getMessage().getHeader(SessionTimerConstants.INTERVAL)).isNull();
        assertThat(exchange.getMessage().getHeader("Require")).isNull();
        assertThat(exchange.getMessage().getHeader(SessionTimerConstants.STATUS_CODE)).isNull();
    }
}
