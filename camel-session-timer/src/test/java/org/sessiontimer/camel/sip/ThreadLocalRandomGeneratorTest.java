package org.sessiontimer.camel.sip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadLocalRandomGeneratorTest {

    @Test
    @DisplayName("R6: 491 back-off draws differ from one JVM to the next, drawn on a thread other than the one that made the generator")
    void drawsDifferPerJvm() throws Exception {
        String first = drawsInNewJvm();
        String second = drawsInNewJvm();
        assertThat(first).matches("(\\d+ ){8}");
        // a ThreadLocalRandom.current() captured on one thread and used on another draws one fixed sequence everywhere
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    @DisplayName("R6: draws stay within the bound on any thread")
    void withinBound() throws Exception {
        List<Integer> draws = new ArrayList<>();
        Thread other = new Thread(() -> {
            for (int i = 0; i < 1000; i++) {
                draws.add(ThreadLocalRandomGenerator.INSTANCE.nextInt(191));
            }
        });
        other.start();
        other.join();
        assertThat(draws).hasSize(1000).allSatisfy(d -> assertThat(d).isBetween(0, 190));
        assertThat(draws.stream().distinct().count()).as("distinct values among 1000 draws").isGreaterThan(150);
    }

    private static String drawsInNewJvm() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Draws.class.getName()).redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim() + " ";
    }

    /** Makes the generator on the main thread and draws on a new one, as the component and its timer threads do. */
    public static final class Draws {
        public static void main(String[] args) throws InterruptedException {
            RandomGenerator random = ThreadLocalRandomGenerator.INSTANCE;
            StringBuilder out = new StringBuilder();
            Thread timerThread = new Thread(() -> {
                for (int i = 0; i < 8; i++) {
                    out.append(random.nextInt(191)).append(' ');
                }
            });
            timerThread.start();
            timerThread.join();
            System.out.print(out.toString().trim());
        }
    }
}
