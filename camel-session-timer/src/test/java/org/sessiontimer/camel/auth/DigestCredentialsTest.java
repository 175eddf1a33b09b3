package org.sessiontimer.camel.auth;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DigestCredentialsTest {

    @Test
    @DisplayName("no user name, no credentials: a challenge then fails instead of being answered for nobody")
    void noUserName() {
        assertThat(DigestCredentials.of(null, "secret", null)).isNull();
        assertThat(DigestCredentials.of("  ", "secret", "lab")).isNull();
    }

    @Test
    @DisplayName("authRealm limits the challenges answered; without it every realm is")
    void realm() {
        assertThat(DigestCredentials.of("alice", "secret", null).covers("anything")).isTrue();
        DigestCredentials lab = DigestCredentials.of("alice", "secret", " lab ");
        assertThat(lab.covers("lab")).isTrue();
        assertThat(lab.covers("other")).isFalse();
        assertThat(lab.covers(null)).isFalse();
    }

    @Test
    @DisplayName("the password never shows in logs or messages")
    void passwordHidden() {
        assertThat(DigestCredentials.of("alice", "s3cret", "lab").toString()).contains("alice").contains("lab")
                .doesNotContain("s3cret");
        assertThat(DigestCredentials.of("alice", null, null).password()).isEmpty();
    }
}
