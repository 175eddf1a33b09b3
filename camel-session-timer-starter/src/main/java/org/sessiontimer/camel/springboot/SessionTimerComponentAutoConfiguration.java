package org.sessiontimer.camel.springboot;

import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.spring.boot.ComponentConfigurationProperties;
import org.apache.camel.spring.boot.util.CamelPropertiesHelper;
import org.apache.camel.spring.boot.util.ConditionalOnCamelContextAndAutoConfigurationBeans;
import org.apache.camel.spring.boot.util.ConditionalOnHierarchicalProperties;
import org.apache.camel.spring.boot.util.HierarchicalPropertiesEvaluator;
import org.sessiontimer.camel.SessionTimerComponent;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Lazy;

/**
 * Configures the session-timer component from {@code camel.component.session-timer.*}, the way Camel's own starters
 * configure theirs: a {@link ComponentCustomizer} that Camel applies when it creates the component, so the component
 * is still created lazily, by the first route that names it. {@code camel.component.session-timer.enabled=false}
 * turns the auto-configuration off; {@code camel.component.session-timer.customizer.enabled=false} the customizer.
 */
@AutoConfiguration(after = { CamelAutoConfiguration.class, SessionTimerComponentConverter.class })
@Conditional(ConditionalOnCamelContextAndAutoConfigurationBeans.class)
@EnableConfigurationProperties({ ComponentConfigurationProperties.class, SessionTimerComponentConfiguration.class })
@ConditionalOnHierarchicalProperties({ "camel.component", "camel.component.session-timer" })
public class SessionTimerComponentAutoConfiguration {

    private final ApplicationContext applicationContext;
    private final CamelContext camelContext;
    private final SessionTimerComponentConfiguration configuration;

    public SessionTimerComponentAutoConfiguration(ApplicationContext applicationContext, CamelContext camelContext,
                                                  SessionTimerComponentConfiguration configuration) {
        this.applicationContext = applicationContext;
        this.camelContext = camelContext;
        this.configuration = configuration;
    }

    @Lazy
    @Bean
    public ComponentCustomizer configureSessionTimerComponent() {
        return new ComponentCustomizer() {
            @Override
            public void configure(String name, Component target) {
                // Camel's binding: the component's generated configurer sets each option, nested ones included
                CamelPropertiesHelper.copyProperties(camelContext, configuration, target);
            }

            @Override
            public boolean isEnabled(String name, Component target) {
                return target instanceof SessionTimerComponent
                       && HierarchicalPropertiesEvaluator.evaluate(applicationContext, "camel.component.customizer",
                               "camel.component.session-timer.customizer");
            }
        };
    }
}
