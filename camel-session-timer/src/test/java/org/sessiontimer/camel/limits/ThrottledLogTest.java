package org.sessiontimer.camel.limits;

import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Log lines bounded per source and in all (virtual time)")
class ThrottledLogTest {

    private final VirtualClock clock = new VirtualClock();
    private final Logger logger = (Logger) LoggerFactory.getLogger("test.throttled." + System.nanoTime());
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private ThrottledLog log;

    @BeforeEach
    void attach() {
        logger.setLevel(Level.INFO);
        lines.start();
        logger.addAppender(lines);
        log = new ThrottledLog(logger, clock);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(lines);
    }

    @Test
    @DisplayName("one source: a burst of 3 lines, then 1 a second, whatever it sends")
    void perSource() {
        for (int i = 0; i < 1000; i++) {
            log.warn("10.0.0.1", "line {}", i);
        }
        assertThat(messages()).containsExactly("line 0", "line 1", "line 2");
        for (int second = 0; second < 10; second++) {
            clock.advance(Duration.ofSeconds(1));
            for (int i = 0; i < 100; i++) {
                log.warn("10.0.0.1", "again");
            }
        }
        assertThat(lines.list).hasSize(3 + 10);
    }

    @Test
    @DisplayName("a line after left-out ones says how many were left out")
    void countsLeftOut() {
        for (int i = 0; i < 10; i++) {
            log.warn("10.0.0.1", "line {}", i);
        }
        clock.advance(Duration.ofSeconds(1));
        log.warn("10.0.0.1", "after {}", "a pause");
        assertThat(messages()).last().isEqualTo("after a pause (7 more lines about 10.0.0.1 left out)");
        assertThat(lines.list).last().extracting(ILoggingEvent::getLevel).isEqualTo(Level.WARN);
    }

    @Test
    @DisplayName("sources do not use up each other's allowance")
    void sourcesApart() {
        for (int i = 0; i < 100; i++) {
            log.warn("10.0.0.1", "noisy");
        }
        log.info("10.0.0.2", "quiet");
        assertThat(messages()).containsExactly("noisy", "noisy", "noisy", "quiet");
        assertThat(lines.list).last().extracting(ILoggingEvent::getLevel).isEqualTo(Level.INFO);
    }

    @Test
    @DisplayName("many sources together: at most 20 lines at once and 10 a second")
    void total() {
        for (int source = 0; source < 1000; source++) {
            log.warn("10.0." + source / 256 + "." + source % 256, "forged source");
        }
        assertThat(lines.list).hasSize(20);
        clock.advance(Duration.ofSeconds(1));
        for (int source = 0; source < 1000; source++) {
            log.warn("10.1." + source / 256 + "." + source % 256, "forged source");
        }
        assertThat(lines.list).hasSize(30);
    }

    @Test
    @DisplayName("a level that is off costs no allowance")
    void levelOff() {
        logger.setLevel(Level.ERROR);
        for (int i = 0; i < 10; i++) {
            log.warn("10.0.0.1", "hidden");
        }
        logger.setLevel(Level.INFO);
        log.warn("10.0.0.1", "shown");
        assertThat(messages()).containsExactly("shown");
    }

    private List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
