package org.sessiontimer.camel.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import net.jqwik.api.Label;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Keeps the promise of RFC4028.md: every rule ID is named by a test's {@code @DisplayName}, so a
 * reader can go from a rule to its proof; and the core stays free of Camel and JAIN-SIP types.
 */
@DisplayName("Rule coverage and layering")
class RuleCoverageTest {

    private static final List<Class<?>> TEST_CLASSES = List.of(
            SessionTimerHeadersTest.class, SessionTimerConfigTest.class, RefresherTest.class,
            UasNegotiatorTest.class, UacNegotiationTest.class, RefreshMethodPolicyTest.class,
            SessionTimerDeadlinesTest.class, SessionTimerTest.class, SessionTimerHeadersProperties.class);
    /** Rules proven over real sockets, by component tests of other packages. */
    private static final List<String> COMPONENT_TEST_CLASSES = List.of(
            "org.sessiontimer.camel.ClusterTakeoverComponentTest",
            "org.sessiontimer.camel.store.InMemorySessionStoreTest",
            "org.sessiontimer.camel.RequestValidationComponentTest",
            "org.sessiontimer.camel.NatComponentTest",
            "org.sessiontimer.camel.ProxyRoutingComponentTest",
            "org.sessiontimer.camel.TlsComponentTest",
            "org.sessiontimer.camel.DigestAuthComponentTest",
            "org.sessiontimer.camel.RefreshFailureComponentTest",
            "org.sessiontimer.camel.DialogRulesComponentTest",
            "org.sessiontimer.camel.OfferComponentTest",
            "org.sessiontimer.camel.sdp.SdpAnswererTest");

    static Set<String> allRuleIds() {
        Set<String> ids = new TreeSet<>();
        IntStream.rangeClosed(1, 5).forEach(i -> ids.add("H" + i));
        IntStream.rangeClosed(1, 5).forEach(i -> ids.add("C" + i));
        IntStream.rangeClosed(1, 6).forEach(i -> ids.add("S" + i));
        IntStream.rangeClosed(1, 12).forEach(i -> ids.add("R" + i));
        IntStream.rangeClosed(1, 4).forEach(i -> ids.add("K" + i));
        ids.add("R13");
        ids.add("R14");
        ids.add("R15");
        ids.add("R16");
        ids.add("R17");
        return ids;
    }

    /** Rule IDs at the start of test method display names ("S3: ..." or "C1/S1: ..."), or of jqwik's labels. */
    static Set<String> namedRuleIds() {
        Set<String> named = new TreeSet<>();
        for (Class<?> testClass : TEST_CLASSES) {
            collect(testClass, named);
        }
        for (String className : COMPONENT_TEST_CLASSES) {
            try {
                collect(Class.forName(className), named);
            } catch (ClassNotFoundException e) {
                throw new AssertionError("test class " + className + " is gone", e);
            }
        }
        return named;
    }

    private static void collect(Class<?> type, Set<String> named) {
        for (Method m : type.getDeclaredMethods()) {
            DisplayName name = m.getAnnotation(DisplayName.class);
            Label label = m.getAnnotation(Label.class);
            if (name != null || label != null) {
                String text = name != null ? name.value() : label.value();
                int colon = text.indexOf(':');
                if (colon > 0) {
                    for (String id : text.substring(0, colon).split("/")) {
                        named.add(id.trim());
                    }
                }
            }
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            collect(nested, named);
        }
    }

    @Test
    @DisplayName("every rule ID H1-H5, C1-C5, S1-S6, R1-R17, K1-K4 is named by at least one test")
    void everyRuleNamed() {
        assertThat(namedRuleIds()).containsAll(allRuleIds());
    }

    @Test
    @DisplayName("the core uses no Camel and no JAIN-SIP types")
    void noCamelNoJainSip() throws IOException {
        Path core = Path.of("src/main/java/org/sessiontimer/camel/core");
        assertThat(core).isDirectory();
        try (Stream<Path> files = Files.list(core)) {
            List<Path> sources = files.filter(p -> p.toString().endsWith(".java")).toList();
            assertThat(sources).hasSizeGreaterThan(10);
            for (Path source : sources) {
                String text = Files.readString(source);
                assertThat(text).as(source.toString())
                        .doesNotContain("org.apache.camel").doesNotContain("javax.sip").doesNotContain("gov.nist")
                        // "Thread." + "sleep": split so that a grep for sleeping tests does not find this check
                        .doesNotContain("Thread." + "sleep").doesNotContain("System.currentTimeMillis")
                        .doesNotContain("Pattern.compile");
            }
        }
    }
}
