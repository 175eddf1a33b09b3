package org.sessiontimer.camel.core;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based tests of the timer header parsers: whatever a peer sends, the answer is a value or a
 * {@link HeaderException} naming the header, never another exception; and every valid value, however it is spelled,
 * reads back as itself.
 */
@Label("Timer header parsers under any input")
class SessionTimerHeadersProperties {

    /** The largest delta-seconds value (RFC 3261 20.19). */
    private static final long MAX = 4_294_967_295L;
    private static final int MAX_REASON_LENGTH = 160;

    @Property(tries = 3000)
    @Label("H3: Session-Expires: any header lines give a value or an error naming Session-Expires")
    void sessionExpiresValueOrNamedError(@ForAll("headerLines") List<String> values) {
        try {
            SessionExpires value = SessionTimerHeaders.parseSessionExpires(values);
            if (value != null) {
                assertThat(value.seconds()).isBetween(0L, MAX);
            } else {
                assertThat(values).isEmpty();
            }
        } catch (HeaderException e) {
            assertNamedAndSafe(e, SessionExpires.NAME);
        }
    }

    @Property(tries = 3000)
    @Label("H3: Min-SE: any header lines give a value of at least the floor or an error naming Min-SE")
    void minSeValueOrNamedError(@ForAll("headerLines") List<String> values, @ForAll @LongRange(min = 1, max = 200) long floor) {
        try {
            MinSe value = SessionTimerHeaders.parseMinSe(values, floor);
            assertThat(value.seconds()).isBetween(floor, MAX);
        } catch (HeaderException e) {
            assertNamedAndSafe(e, MinSe.NAME);
        }
    }

    @Property(tries = 2000)
    @Label("H1: a valid Session-Expires reads back as itself, with any white space, case and unknown parameters")
    void sessionExpiresRoundTrip(@ForAll @LongRange(min = 0, max = MAX) long seconds, @ForAll("refreshers") String refresher,
                                 @ForAll("spaces") String space, @ForAll("unknownParameters") List<String> unknown) {
        StringBuilder raw = new StringBuilder(space).append(seconds).append(space);
        for (String parameter : unknown) {
            raw.append(';').append(space).append(parameter).append(space);
        }
        if (refresher != null) {
            raw.append(';').append(space).append("ReFrEsHeR").append(space).append('=').append(space).append(refresher);
        }
        raw.append(space);
        SessionExpires parsed = SessionTimerHeaders.parseSessionExpires(List.of(raw.toString()));
        Refresher expected = refresher == null ? null : Refresher.fromToken(refresher);
        assertThat(parsed).isEqualTo(new SessionExpires(seconds, expected));
        assertThat(SessionTimerHeaders.parseSessionExpires(List.of(parsed.toHeaderValue()))).isEqualTo(parsed);
    }

    @Property(tries = 1000)
    @Label("H2: a valid Min-SE reads as itself at or above the floor and as the floor below it")
    void minSeFloor(@ForAll @LongRange(min = 0, max = MAX) long seconds, @ForAll @LongRange(min = 1, max = 200) long floor,
                    @ForAll("unknownParameters") List<String> unknown) {
        String raw = seconds + (unknown.isEmpty() ? "" : ";" + String.join(";", unknown));
        MinSe parsed = SessionTimerHeaders.parseMinSe(List.of(raw), floor);
        assertThat(parsed).isEqualTo(seconds < floor ? new MinSe(floor, true) : new MinSe(seconds, false));
    }

    @Property(tries = 1000)
    @Label("H4: option tag lists of any text never fail")
    void optionTagsNeverFail(@ForAll("headerLines") List<String> values) {
        boolean found = SessionTimerHeaders.containsOptionTag(values, SessionTimerHeaders.TIMER_OPTION_TAG);
        String merged = SessionTimerHeaders.addOptionTag(values.isEmpty() ? null : values.get(0), "timer");
        assertThat(SessionTimerHeaders.containsOptionTag(List.of(merged), "timer")).isTrue();
        if (found && values.size() == 1) {
            assertThat(merged).isEqualTo(values.get(0));
        }
    }

    private static void assertNamedAndSafe(HeaderException e, String header) {
        assertThat(e.header()).isEqualTo(header);
        assertThat(e.getMessage()).startsWith(header + ": ");
        // the reason phrase goes into a status line: no control character, bounded length
        assertThat(e.reasonPhrase()).hasSizeLessThan(MAX_REASON_LENGTH)
                .doesNotContainPattern("[\\x00-\\x1F\\x7F]");
    }

    /** Zero to three header lines: arbitrary text, text of SIP's own characters, or pieces of real values. */
    @Provide
    Arbitrary<List<String>> headerLines() {
        Arbitrary<String> line = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(60),
                Arbitraries.strings().withChars("0123456789;=,\"\\ \t\r\n\u0000\u007fxuacsrefh").ofMaxLength(40),
                Arbitraries.of("1800", "90", "0", "4294967295", "4294967296", "-1", "", " ", ";", ";;", "=", "\"",
                                "refresher", "refresher=uac", "refresher=uas", "refresher=UAC", "refresher=foo",
                                "x-note=\"a;b,c\"", "\"unterminated", "\\", ",", "\u0000", "\t", "1e3", "018")
                        .list().ofMaxSize(6).map(pieces -> String.join("", pieces)));
        return line.injectNull(0.02).list().ofMaxSize(3).map(ArrayList::new);
    }

    @Provide
    Arbitrary<String> refreshers() {
        return Arbitraries.of("uac", "uas", "UAC", "Uas").injectNull(0.3);
    }

    @Provide
    Arbitrary<String> spaces() {
        return Arbitraries.of("", " ", "  ", "\t", " \t ");
    }

    @Provide
    Arbitrary<List<String>> unknownParameters() {
        return Arbitraries.of("foo", "foo=bar", "x-note=\"a;b,c\"", "lr", "q=0.5", "maddr=[2001:db8::1]", "a=\"\\\"\"")
                .list().ofMaxSize(3);
    }
}
