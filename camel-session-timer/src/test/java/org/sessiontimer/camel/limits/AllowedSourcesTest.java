package org.sessiontimer.camel.limits;

import java.net.InetAddress;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("allowedSources: addresses and CIDR blocks")
class AllowedSourcesTest {

    @ParameterizedTest(name = "{1} in ''{0}'' -> {2}")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.0/8                   | 10.255.1.2   | true",
            "10.0.0.0/8                   | 11.0.0.1     | false",
            "192.0.2.7                    | 192.0.2.7    | true",
            "192.0.2.7                    | 192.0.2.8    | false",
            "192.0.2.0/25                 | 192.0.2.127  | true",
            "192.0.2.0/25                 | 192.0.2.128  | false",
            "' 10.0.0.0/8 , 127.0.0.1 '   | 127.0.0.1    | true",
            "2001:db8::/32                | 2001:db8:1::5| true",
            "2001:db8::/32                | 2001:db9::5  | false",
            "::1                          | ::1          | true",
            "::1                          | 127.0.0.1    | false",
            "0.0.0.0/0                    | 203.0.113.9  | true",
            "10.0.0.0/8                   | ::1          | false",
    })
    @DisplayName("matches addresses by prefix, IPv4 and IPv6 apart")
    void matches(String list, String address, boolean allowed) throws Exception {
        assertThat(AllowedSources.parse(list).allows(InetAddress.getByName(address))).isEqualTo(allowed);
    }

    @Test
    @DisplayName("an empty list allows any source")
    void empty() throws Exception {
        assertThat(AllowedSources.parse(null).allows(InetAddress.getByName("203.0.113.9"))).isTrue();
        assertThat(AllowedSources.parse(" ").isAny()).isTrue();
        assertThat(AllowedSources.parse("10.0.0.0/8").allows(null)).as("an unknown source is not in any list").isFalse();
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"localhost", "10.0.0.0/33", "10.0.0.0/x", "10.0.0", "::1/129", "example.org/8", "10.0.0.0/"})
    @DisplayName("an entry that is not a literal address or block fails naming it (no DNS lookup at start-up)")
    void invalid(String entry) {
        assertThatThrownBy(() -> AllowedSources.parse("127.0.0.1," + entry)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("allowedSources: '" + entry + "'");
    }
}
