package org.sessiontimer.camel.springboot;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spring Boot configuration metadata (what IDEs complete) names every option of the component, with the
 * component's default: the starter's properties class cannot drift from the component's generated descriptor.
 */
class SessionTimerConfigurationMetadataTest {

    private static JsonObject read(String resource) throws Exception {
        try (InputStream in = SessionTimerConfigurationMetadataTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return (JsonObject) Jsoner.deserialize(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static String kebab(String option) {
        return option.replaceAll("([A-Z0-9])", "-$1").toLowerCase(java.util.Locale.ROOT).replace("t-1", "t1");
    }

    @Test
    @DisplayName("Every component option is a documented camel.component.session-timer.* key with its default")
    void everyOptionHasMetadata() throws Exception {
        JsonObject component = read("META-INF/org/sessiontimer/camel/session-timer.json").getMap("componentProperties");
        Map<String, JsonObject> keys = new HashMap<>();
        for (Object property : read("META-INF/spring-configuration-metadata.json").getCollection("properties")) {
            JsonObject json = (JsonObject) property;
            keys.put(json.getString("name"), json);
        }
        assertThat(component).hasSizeGreaterThan(20);
        component.forEach((option, value) -> {
            JsonObject key = keys.get("camel.component.session-timer." + kebab(option));
            assertThat(key).as("metadata of option %s", option).isNotNull();
            assertThat(key.getString("description")).as("description of %s", option).isNotBlank();
            Object defaultValue = ((JsonObject) value).get("defaultValue");
            if (defaultValue != null) {
                assertThat(String.valueOf(key.get("defaultValue"))).as("default of %s", option)
                        .isEqualTo(String.valueOf(defaultValue));
            }
        });
        assertThat(keys).containsKeys("camel.component.session-timer.enabled",
                "camel.component.session-timer.customizer.enabled");
    }
}
