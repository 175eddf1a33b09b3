package org.sessiontimer.camel.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Default answer to a mid-call offer (RFC 3264 §6.1)")
class SdpAnswererTest {

    /** Our current session description: audio PCMU, PCMA and telephone-event at 101. */
    static final String OURS = "v=0\r\no=camel 1000 7 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                               + "m=audio 30000 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
                               + "a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n";

    static String offer(String version, String... lines) {
        return "v=0\r\no=peer 4711 " + version + " IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\n"
               + String.join("\r\n", lines) + "\r\n";
    }

    static List<String> lines(String sdp) {
        return Arrays.asList(sdp.split("\r\n"));
    }

    @Test
    @DisplayName("R15: a hold (a=sendonly) is answered a=recvonly on our port, with the formats both have")
    void hold() {
        String answer = SdpAnswerer.answer(offer("4712", "m=audio 40000 RTP/AVP 8 0 18", "a=sendonly"), OURS)
                .orElseThrow();
        assertThat(lines(answer)).contains("m=audio 30000 RTP/AVP 8 0", "a=recvonly", "c=IN IP4 127.0.0.1")
                .doesNotContain("a=sendrecv", "a=sendonly");
    }

    @Test
    @DisplayName("R15: recvonly is answered sendonly, inactive inactive, sendrecv (also unsaid) sendrecv")
    void directions() {
        assertThat(lines(SdpAnswerer.answer(offer("2", "m=audio 40000 RTP/AVP 0", "a=recvonly"), OURS).orElseThrow()))
                .contains("a=sendonly");
        assertThat(lines(SdpAnswerer.answer(offer("2", "m=audio 40000 RTP/AVP 0", "a=inactive"), OURS).orElseThrow()))
                .contains("a=inactive");
        assertThat(lines(SdpAnswerer.answer(offer("2", "m=audio 40000 RTP/AVP 0"), OURS).orElseThrow()))
                .contains("a=sendrecv");
        // a session-level direction applies to every stream without its own
        assertThat(lines(SdpAnswerer.answer(offer("2", "a=sendonly", "m=audio 40000 RTP/AVP 0"), OURS).orElseThrow()))
                .contains("a=recvonly").doesNotContain("a=sendrecv");
    }

    @Test
    @DisplayName("R15: our o= keeps its session id and goes up one version")
    void versionIncremented() {
        String answer = SdpAnswerer.answer(offer("9", "m=audio 40000 RTP/AVP 0"), OURS).orElseThrow();
        assertThat(SdpOrigin.of(answer)).isEqualTo("1000 8");
        assertThat(lines(answer)).anyMatch(l -> l.startsWith("o=camel 1000 8 IN IP4 127.0.0.1"));
    }

    @Test
    @DisplayName("R15: m=image (T.38) next to audio is rejected with port 0, in its place; audio is answered")
    void imageRejected() {
        String answer = SdpAnswerer.answer(offer("3", "m=audio 40000 RTP/AVP 0", "m=image 40002 udptl t38",
                "a=T38FaxVersion:0"), OURS).orElseThrow();
        List<String> lines = lines(answer);
        int audio = lines.indexOf("m=audio 30000 RTP/AVP 0");
        int image = lines.indexOf("m=image 0 udptl t38");
        assertThat(audio).isPositive();
        assertThat(image).isGreaterThan(audio);
        assertThat(lines).doesNotContain("a=T38FaxVersion:0");
    }

    @Test
    @DisplayName("R15: nothing acceptable (only m=image, or no common format) gives no answer: 488")
    void allRejected() {
        assertThat(SdpAnswerer.answer(offer("3", "m=image 40002 udptl t38"), OURS)).isEmpty();
        assertThat(SdpAnswerer.answer(offer("3", "m=audio 40000 RTP/AVP 18"), OURS)).isEmpty();
        assertThat(SdpAnswerer.answer(offer("3", "m=audio 40000 RTP/SAVP 0"), OURS)).isEmpty();
        assertThat(SdpAnswerer.answer(offer("3", "m=audio 40000 RTP/AVP 0"), null)).isEmpty();
        assertThat(SdpAnswerer.answer("not sdp", OURS)).isEmpty();
    }

    @Test
    @DisplayName("R15: a dynamic payload type is matched by its encoding and answered under the offer's number")
    void dynamicPayloadType() {
        String answer = SdpAnswerer.answer(offer("3", "m=audio 40000 RTP/AVP 0 96", "a=rtpmap:96 telephone-event/8000",
                "a=fmtp:96 0-15"), OURS).orElseThrow();
        assertThat(lines(answer)).contains("m=audio 30000 RTP/AVP 0 96", "a=rtpmap:96 telephone-event/8000",
                "a=fmtp:96 0-15");
    }

    @Test
    @DisplayName("R15: two offered streams give two answered m-lines, in the offer's order")
    void sameNumberAndOrder() {
        String answer = SdpAnswerer.answer(offer("3", "m=video 40004 RTP/AVP 31", "m=audio 40000 RTP/AVP 0"), OURS)
                .orElseThrow();
        List<String> media = lines(answer).stream().filter(l -> l.startsWith("m=")).toList();
        assertThat(media).containsExactly("m=video 0 RTP/AVP 31", "m=audio 30000 RTP/AVP 0");
    }

    @Test
    @DisplayName("o= session id and version are read from the o= line")
    void origin() {
        assertThat(SdpOrigin.of(OURS)).isEqualTo("1000 7");
        assertThat(SdpOrigin.of((byte[]) null)).isNull();
        assertThat(SdpOrigin.of("v=0\r\ns=-\r\n")).isNull();
    }
}
