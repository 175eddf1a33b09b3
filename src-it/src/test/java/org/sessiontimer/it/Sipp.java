package org.sessiontimer.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one SIPp scenario from {@code sipp/}, bounded in calls (-m) and time (-timeout with -timeout_error, and a
 * hard kill after that), on 127.0.0.1 only, with every message traced to a file the test can read.
 */
final class Sipp {

    private static final Path SCENARIOS = Paths.get(System.getProperty("sipp.scenarios", "../sipp"));
    private static final Path TRACES = Paths.get(System.getProperty("sipp.traces", "target/sipp-traces"));

    private final String scenario;
    private final List<String> args = new ArrayList<>();
    private int calls = 1;
    private Duration timeout = Duration.ofSeconds(60);
    private String transport;
    private boolean traceMessages = true;
    private Integer remotePort;
    private final int localPort;
    private Process process;
    private Path messages;
    private Path output;
    private Path errors;

    private Sipp(String scenario) throws IOException {
        this.scenario = scenario;
        this.localPort = ExampleApp.freeSipPort();
    }

    /** Fails with an installation hint when SIPp is missing: these tests never skip silently. */
    static Sipp scenario(String file) throws IOException {
        requireSipp();
        return new Sipp(file);
    }

    static void requireSipp() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Paths.get(dir, "sipp"))) {
                return;
            }
        }
        throw new IllegalStateException("SIPp is not installed (no 'sipp' on the PATH). The integration tests drive"
                                        + " the app with it: install Debian's package with 'apt-get install sip-tester'.");
    }

    Sipp set(String variable, Object value) {
        args.add("-set");
        args.add(variable);
        args.add(String.valueOf(value));
        return this;
    }

    Sipp calls(int count) {
        this.calls = count;
        return this;
    }

    Sipp timeout(Duration duration) {
        this.timeout = duration;
        return this;
    }

    /** No message trace: for load runs, where it would slow SIPp down and grow large. */
    Sipp withoutMessageTrace() {
        this.traceMessages = false;
        return this;
    }

    Sipp tcp() {
        this.transport = "t1";
        return this;
    }

    /** The app's SIP port, for scenarios where SIPp calls the app. */
    Sipp callTo(int port) {
        this.remotePort = port;
        return this;
    }

    Sipp arg(String... more) {
        args.addAll(List.of(more));
        return this;
    }

    int localPort() {
        return localPort;
    }

    /** Starts SIPp and returns at once (for scenarios where the app calls SIPp). */
    Sipp start() throws IOException {
        Files.createDirectories(TRACES);
        String name = scenario.replace(".xml", "") + "-" + localPort;
        messages = TRACES.resolve(name + "-messages.log");
        output = TRACES.resolve(name + "-output.log");
        errors = TRACES.resolve(name + "-errors.log");
        List<String> command = new ArrayList<>(List.of("sipp", "-sf", SCENARIOS.resolve(scenario).toString(),
                "-i", "127.0.0.1", "-p", Integer.toString(localPort), "-m", Integer.toString(calls),
                "-timeout", timeout.toSeconds() + "s", "-timeout_error", "-nostdin",
                "-trace_err", "-error_file", errors.toString()));
        if (traceMessages) {
            command.addAll(List.of("-trace_msg", "-message_file", messages.toString()));
        }
        if (transport != null) {
            command.add("-t");
            command.add(transport);
        }
        command.addAll(args);
        if (remotePort != null) {
            command.add("127.0.0.1:" + remotePort);
        }
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        return this;
    }

    /** Waits for SIPp to end by itself (it is bounded by -timeout) and returns its result. */
    SippResult awaitResult() throws Exception {
        if (!process.waitFor(timeout.toSeconds() + 15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("SIPp " + scenario + " did not end within " + timeout + ": see " + output);
        }
        String screen = Files.exists(output) ? Files.readString(output) : "";
        String failures = Files.exists(errors) ? Files.readString(errors) : "";
        return new SippResult(scenario, process.exitValue(), screen, failures,
                Files.exists(messages) ? SippTrace.parse(messages) : List.of());
    }

    SippResult run() throws Exception {
        return start().awaitResult();
    }

    void stop() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
