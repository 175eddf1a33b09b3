package org.sessiontimer.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mid-call offers against SIPp (R15): a hold and a T.38 switch, answered by the component's default answer (the
 * example's route leaves offers to it).
 */
class OfferScenariosIT extends ScenarioSupport {

    @BeforeAll
    static void start() throws Exception {
        startApp(ExampleApp.labFloor());
    }

    /** Our 200s to SIPp's INVITEs, the first of each CSeq (a 200 retransmitted before its ACK came is left out). */
    private static List<SippTrace.Message> okToInvites(SippResult result) {
        Map<Long, SippTrace.Message> first = new TreeMap<>();
        for (SippTrace.Message m : result.where(m -> !m.sent() && m.isResponse(200)
                                                    && m.header("CSeq").endsWith("INVITE"))) {
            first.putIfAbsent(m.cseq(), m);
        }
        return List.copyOf(first.values());
    }

    private static long version(SippTrace.Message message) {
        return Long.parseLong(message.originLine().split("\\s+")[2]);
    }

    @Test
    @DisplayName("R15: SIPp's hold re-INVITE (a=sendonly, new o= version) gets a=recvonly and our o= version + 1; the"
                 + " refresh with the same o= after it gets the same answer")
    void hold() throws Exception {
        SippResult result = sippCalls("uac_hold_reinvite.xml", Duration.ofSeconds(20), "se", 30);
        List<SippTrace.Message> oks = okToInvites(result);
        assertThat(oks).hasSize(3);
        assertThat(oks.get(1).body()).contains("a=recvonly").doesNotContain("a=sendrecv");
        assertThat(version(oks.get(1))).isEqualTo(version(oks.get(0)) + 1);
        assertThat(oks.get(2).originLine()).isEqualTo(oks.get(1).originLine());
        assertThat(oks.get(1).header("Session-Expires", "x")).as("R10: a refresh as well").startsWith("30");
    }

    @Test
    @DisplayName("R15: SIPp's T.38 re-INVITE: m=image alone gets 488 and the call goes on; audio + m=image gets 200"
                 + " with audio accepted and m=image 0")
    void t38() throws Exception {
        SippResult result = sippCalls("uac_t38_reinvite.xml", Duration.ofSeconds(20), "se", 30);
        assertThat(result.where(m -> !m.sent() && m.isResponse(488))).hasSize(1);
        List<SippTrace.Message> oks = okToInvites(result);
        assertThat(oks).hasSize(2);
        List<String> media = List.of(oks.get(1).body().split("\r?\n")).stream()
                .filter(l -> l.startsWith("m=")).toList();
        assertThat(media).hasSize(2);
        assertThat(media.get(0)).startsWith("m=audio ").doesNotStartWith("m=audio 0 ");
        assertThat(media.get(1)).isEqualTo("m=image 0 udptl t38");
        assertThat(version(oks.get(1))).isEqualTo(version(oks.get(0)) + 1);
    }
}
