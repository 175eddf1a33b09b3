package org.sessiontimer.camel.springboot;

import java.util.Set;

import org.apache.camel.support.jsse.SSLContextParameters;
import org.sessiontimer.camel.SessionTimerConfiguration;
import org.sessiontimer.camel.store.SessionStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.context.ApplicationContext;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.GenericConverter;

/**
 * Lets {@code camel.component.session-timer.configuration}, {@code .session-store} and {@code .ssl-context-parameters}
 * name a bean, as Camel options do: {@code #bean:name} or {@code #name} becomes the {@link SessionTimerConfiguration},
 * {@link SessionStore} or {@link SSLContextParameters} bean of that name. Other strings
 * are left to Spring's other converters.
 */
@AutoConfiguration
@ConfigurationPropertiesBinding
public class SessionTimerComponentConverter implements GenericConverter {

    private final ApplicationContext applicationContext;

    public SessionTimerComponentConverter(ApplicationContext applicationContext) {
        this.applicationContext = applicationContext;
    }

    @Override
    public Set<ConvertiblePair> getConvertibleTypes() {
        return Set.of(new ConvertiblePair(String.class, SessionTimerConfiguration.class),
                new ConvertiblePair(String.class, SessionStore.class),
                new ConvertiblePair(String.class, SSLContextParameters.class));
    }

    @Override
    public Object convert(Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
        if (source == null || !source.toString().startsWith("#")) {
            return null;
        }
        String reference = source.toString();
        String name = reference.startsWith("#bean:") ? reference.substring("#bean:".length()) : reference.substring(1);
        return applicationContext.getBean(name, targetType.getType());
    }
}
