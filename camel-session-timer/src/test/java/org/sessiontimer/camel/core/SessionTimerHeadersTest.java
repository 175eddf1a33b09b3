package org.sessiontimer.camel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Session timer headers (RFC 4028 §4, §5)")
class SessionTimerHeadersTest {

    private static SessionExpires se(String... values) {
        return SessionTimerHeaders.parseSessionExpires(List.of(values));
    }

    @Nested
    @DisplayName("H1: Session-Expires")
    class ParseSessionExpires {

        @Test
        @DisplayName("H1: delta-seconds without refresher")
        void plainValue() {
            assertThat(se("1800")).isEqualTo(new SessionExpires(1800, null));
        }

        @Test
        @DisplayName("H1: absent header (empty or null list) is null")
        void absent() {
            assertThat(SessionTimerHeaders.parseSessionExpires(List.of())).isNull();
            assertThat(SessionTimerHeaders.parseSessionExpires(null)).isNull();
        }

        @ParameterizedTest(name = "H1: ''{0}'' -> {1}s refresher={2}")
        @CsvSource(delimiter = '|', value = {
            "1800;refresher=uac            | 1800 | UAC",
            "1800 ; Refresher = UAC        | 1800 | UAC",
            "90;REFRESHER=Uas              | 90   | UAS",
            "' 600 ;refresher=uas '        | 600  | UAS",
            "1800;foo=bar;refresher=uas;baz| 1800 | UAS",
            "1800;x-note=\"a;b,c\";refresher=uac | 1800 | UAC",
            "4294967295                    | 4294967295 | ",
            "0001800                       | 1800 | ",
        })
        @DisplayName("H1: refresher parameter, case-insensitive, white space, unknown parameters ignored")
        void parameters(String raw, long seconds, Refresher refresher) {
            assertThat(se(raw)).isEqualTo(new SessionExpires(seconds, refresher));
        }

        @Test
        @DisplayName("H1: the compact form x carries the same value (the caller merges x into the list)")
        void compactForm() {
            assertThat(SessionExpires.COMPACT_NAME).isEqualTo("x");
            // The user agent reads "x: 90;refresher=uas" and passes its value like a long-form one.
            assertThat(se("90;refresher=uas")).isEqualTo(new SessionExpires(90, Refresher.UAS));
        }

        @Test
        @DisplayName("H1: toHeaderValue writes the refresher only when present")
        void toHeaderValue() {
            assertThat(new SessionExpires(1800, Refresher.UAC).toHeaderValue()).isEqualTo("1800;refresher=uac");
            assertThat(new SessionExpires(90, Refresher.UAS).toHeader())
                    .isEqualTo(new SipHeader("Session-Expires", "90;refresher=uas"));
            assertThat(new SessionExpires(1800, null).toHeaderValue()).isEqualTo("1800");
        }
    }

    @Nested
    @DisplayName("H3: malformed values")
    class Malformed {

        @ParameterizedTest(name = "H3: Session-Expires ''{0}'' -> {1}")
        @CsvSource(delimiter = '|', value = {
            "abc                     | not a number: 'abc'",
            "''                      | empty value",
            "'   '                   | empty value",
            "-5                      | not a number: '-5'",
            "1800x                   | not a number: '1800x'",
            "4294967296              | out of range (above 4294967295): '4294967296'",
            "99999999999999999999999 | out of range (above 4294967295): '99999999999999999999999'",
            "1800;refresher=foo      | unknown refresher value: 'foo'",
            "1800;refresher          | unknown refresher value: ''",
            "1800;refresher=uac;refresher=uas | more than one refresher parameter",
            ";refresher=uac          | empty value",
            "1800, 900               | more than one value (comma-separated list): '1800, 900'",
            "1800;;;                 | empty parameter: '1800;;;'",
            "1800;                   | empty parameter: '1800;'",
            "1800 ; ;refresher=uac   | empty parameter: '1800 ; ;refresher=uac'",
            "1800;=uac               | empty parameter: '1800;=uac'",
            "1800;a b=c              | malformed parameter: 'a b=c'",
            "1800;x-note=            | malformed parameter value: 'x-note='",
            "1800;x-note=\"open      | malformed parameter value: 'x-note=\"open'",
            "1800;x-note=\"a\"b      | malformed parameter value: 'x-note=\"a\"b'",
            "1800;x=a/b              | malformed parameter value: 'x=a/b'",
        })
        @DisplayName("H3: Session-Expires errors name the header and the problem")
        void sessionExpires(String raw, String problem) {
            assertThatThrownBy(() -> se(raw))
                    .isInstanceOfSatisfying(HeaderException.class, e -> {
                        assertThat(e.header()).isEqualTo("Session-Expires");
                        assertThat(e.problem()).isEqualTo(problem);
                        assertThat(e.getMessage()).isEqualTo("Session-Expires: " + problem);
                    });
        }

        @Test
        @DisplayName("H3: a second Session-Expires header is an error")
        void twoHeaders() {
            assertThatThrownBy(() -> se("1800", "1800"))
                    .isInstanceOf(HeaderException.class)
                    .hasMessage("Session-Expires: more than one value (2 headers)");
        }

        @Test
        @DisplayName("H3: a null value in the list is empty")
        void nullValue() {
            List<String> values = new ArrayList<>();
            values.add(null);
            assertThatThrownBy(() -> SessionTimerHeaders.parseSessionExpires(values))
                    .isInstanceOf(HeaderException.class).hasMessage("Session-Expires: empty value");
        }

        @Test
        @DisplayName("H3: the 400 reason phrase names the header; control characters are masked")
        void reasonPhrase() {
            HeaderException e = new HeaderException("Session-Expires", "not a number: 'abc'");
            assertThat(e.reasonPhrase()).isEqualTo("Bad Session-Expires: not a number: 'abc'");
            assertThatThrownBy(() -> se("12\u0007"))
                    .isInstanceOf(HeaderException.class).hasMessage("Session-Expires: control character 0x07 in '12?'");
        }

        @ParameterizedTest(name = "H3: Session-Expires with a NUL byte, case {index}")
        @ValueSource(strings = {"1800\0", "\0" + "1800", "18\0" + "00", "1800;refresher=uac\0", "1800;x-note=\"a\0b\"", "1800\0;refresher=uas"})
        @DisplayName("H3: a NUL byte anywhere in Session-Expires is malformed, named in the error")
        void nulInSessionExpires(String raw) {
            assertThatThrownBy(() -> se(raw)).isInstanceOfSatisfying(HeaderException.class, e -> {
                assertThat(e.header()).isEqualTo("Session-Expires");
                assertThat(e.problem()).startsWith("control character 0x00 in '");
                assertThat(e.reasonPhrase()).doesNotContain("\0");
            });
        }

        @ParameterizedTest(name = "H3: Min-SE ''{0}''")
        @ValueSource(strings = {"90;;", "90;", "90\0", "90;a=\0", "90;=1"})
        @DisplayName("H3: Min-SE with an empty parameter or a NUL byte is malformed")
        void malformedMinSeParameters(String raw) {
            assertThatThrownBy(() -> SessionTimerHeaders.parseMinSe(List.of(raw), 90))
                    .isInstanceOfSatisfying(HeaderException.class, e -> assertThat(e.header()).isEqualTo("Min-SE"));
        }

        @ParameterizedTest(name = "H3: Min-SE ''{0}''")
        @ValueSource(strings = {"abc", "", "-5", "4294967296", "90, 120"})
        @DisplayName("H3: Min-SE errors name the header")
        void minSe(String raw) {
            assertThatThrownBy(() -> SessionTimerHeaders.parseMinSe(List.of(raw), 90))
                    .isInstanceOfSatisfying(HeaderException.class, e -> assertThat(e.header()).isEqualTo("Min-SE"));
        }

        @Test
        @DisplayName("H3: two Min-SE headers are an error")
        void twoMinSe() {
            assertThatThrownBy(() -> SessionTimerHeaders.parseMinSe(List.of("90", "120"), 90))
                    .isInstanceOf(HeaderException.class).hasMessage("Min-SE: more than one value (2 headers)");
        }
    }

    @Nested
    @DisplayName("H2: Min-SE")
    class ParseMinSe {

        @Test
        @DisplayName("H2: a value below 90 is read as 90, flagged raisedToFloor")
        void belowFloor() {
            assertThat(SessionTimerHeaders.parseMinSe(List.of("60"), 90)).isEqualTo(new MinSe(90, true));
        }

        @Test
        @DisplayName("H2: absent means the floor (90)")
        void absent() {
            assertThat(SessionTimerHeaders.parseMinSe(List.of(), 90)).isEqualTo(new MinSe(90, false));
            assertThat(SessionTimerHeaders.parseMinSe(null, 90)).isEqualTo(new MinSe(90, false));
        }

        @ParameterizedTest(name = "H2: ''{0}'' -> {1}")
        @CsvSource(delimiter = '|', value = {
            "90              | 90",
            "120             | 120",
            "' 1800 '        | 1800",
            "120;foo=bar     | 120",
            "120 ; a ; b=\"c\" | 120",
        })
        @DisplayName("H2: delta-seconds, generic parameters ignored")
        void values(String raw, long seconds) {
            assertThat(SessionTimerHeaders.parseMinSe(List.of(raw), 90)).isEqualTo(new MinSe(seconds, false));
        }

        @Test
        @DisplayName("H2: a lab floor below 90 lets lower values through")
        void labFloor() {
            assertThat(SessionTimerHeaders.parseMinSe(List.of("60"), 10)).isEqualTo(new MinSe(60, false));
            assertThat(SessionTimerHeaders.parseMinSe(List.of("5"), 10)).isEqualTo(new MinSe(10, true));
            assertThat(SessionTimerHeaders.parseMinSe(List.of(), 10)).isEqualTo(new MinSe(10, false));
        }

        @Test
        @DisplayName("H2: toHeaderValue is the number")
        void toHeaderValue() {
            assertThat(new MinSe(90, false).toHeader()).isEqualTo(new SipHeader("Min-SE", "90"));
        }
    }

    @Nested
    @DisplayName("H4: option tags")
    class OptionTags {

        @Test
        @DisplayName("H4: timer is found in comma lists and several header lines, case-insensitive")
        void contains() {
            assertThat(SessionTimerHeaders.containsOptionTag(List.of("100rel, timer"), "timer")).isTrue();
            assertThat(SessionTimerHeaders.containsOptionTag(List.of("100rel", " TIMER "), "timer")).isTrue();
            assertThat(SessionTimerHeaders.containsOptionTag(List.of("replaces,timer,path"), "timer")).isTrue();
            assertThat(SessionTimerHeaders.containsOptionTag(List.of("timers, 100rel"), "timer")).isFalse();
            assertThat(SessionTimerHeaders.containsOptionTag(List.of("100rel", ""), "timer")).isFalse();
            assertThat(SessionTimerHeaders.containsOptionTag(null, "timer")).isFalse();
        }

        @Test
        @DisplayName("H4: Supported: timer is merged with other tags, never duplicated")
        void merge() {
            assertThat(SessionTimerHeaders.addOptionTag("100rel", "timer")).isEqualTo("100rel, timer");
            assertThat(SessionTimerHeaders.addOptionTag("100rel, Timer", "timer")).isEqualTo("100rel, Timer");
            assertThat(SessionTimerHeaders.addOptionTag(null, "timer")).isEqualTo("timer");
            assertThat(SessionTimerHeaders.addOptionTag(" ", "timer")).isEqualTo("timer");
        }

        @Test
        @DisplayName("R2: Allow lists UPDATE")
        void allow() {
            assertThat(SessionTimerHeaders.allowsMethod(List.of("INVITE, ACK, CANCEL, BYE, UPDATE"), "UPDATE")).isTrue();
            assertThat(SessionTimerHeaders.allowsMethod(List.of("INVITE, ACK, CANCEL, BYE"), "UPDATE")).isFalse();
        }
    }
}
