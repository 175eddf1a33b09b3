package org.sessiontimer.example;

import org.apache.camel.main.Main;

/**
 * Starts the example: SIP on 127.0.0.1:5060 (UDP and TCP) answering every call with session timers on, and the HTTP
 * API on 127.0.0.1:8080. Every option is in application.properties and can be overridden with -D system properties
 * or environment variables, the camel-main way.
 */
public final class ExampleApplication {

    private ExampleApplication() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main(ExampleApplication.class);
        main.run(args);
    }
}
