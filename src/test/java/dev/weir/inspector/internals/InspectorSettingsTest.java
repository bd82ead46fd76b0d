package dev.weir.inspector.internals;

import dev.weir.inspector.InspectorSettings;
import dev.weir.topology.WeirConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectorSettingsTest {

    @Test
    void offByDefaultOnLoopbackWithBoundedWindows() {
        InspectorSettings s = InspectorSettings.of(WeirConfig.of(Map.of(), Map.of()));
        assertFalse(s.enabled());
        assertEquals("127.0.0.1", s.bind());
        assertEquals(InspectorSettings.DEFAULT_WINDOW, s.window());
        assertEquals(InspectorSettings.DEFAULT_STREAMS, s.maxStreams());
        assertEquals(InspectorSettings.DEFAULT_LOOKBACK, s.lookback());
        assertFalse(s.readInputs());
    }

    @Test
    void settingsComeFromTheConfigAndTheEnvironment() {
        InspectorSettings s = InspectorSettings.of(WeirConfig.of(Map.of(InspectorSettings.PORT, "9410", InspectorSettings.READ_INPUTS, "true"),
                Map.of("WEIR_WEIR_INSPECTOR_WINDOW", "50")));
        assertTrue(s.enabled());
        assertEquals(9410, s.port());
        assertEquals(50, s.window());
        assertTrue(s.readInputs());
    }

    @Test
    void aBadValueNamesItsSetting() {
        var e = assertThrows(IllegalArgumentException.class, () -> InspectorSettings.of(WeirConfig.of(Map.of(InspectorSettings.PORT, "70000"), Map.of())));
        assertTrue(e.getMessage().contains("weir.inspector.port"), e.getMessage());
        var f = assertThrows(IllegalArgumentException.class, () -> InspectorSettings.of(WeirConfig.of(Map.of(InspectorSettings.READ_INPUTS, "yes"), Map.of())));
        assertTrue(f.getMessage().contains("weir.inspector.read.inputs"), f.getMessage());
        assertThrows(IllegalArgumentException.class, () -> InspectorSettings.of(WeirConfig.of(Map.of(InspectorSettings.WINDOW, "1"), Map.of())));
    }
}
