package dev.weir.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.weir.avro.DecodedText;
import dev.weir.avro.Modality;
import dev.weir.avro.TextEvent;
import dev.weir.topology.modality.ModalityDescriptor;
import dev.weir.topology.text.TextModality;

class ModalityDescriptorTest {

    @Test
    void aModalityIsNamedByItsDescriptor() {
        TextModality text = new TextModality();
        assertEquals("text", text.name());
        assertEquals(Modality.TEXT, text.symbol());
        assertEquals("events", text.input());
        assertEquals("messages", text.units());
        assertEquals(TextEvent.class, text.eventClass());
        assertEquals(DecodedText.class, text.decodedClass());
    }

    @Test
    void namesThatCouldNotNameATopicOrAMetricAreRefused() {
        for (String bad : new String[] {"Text", "my-text", "", "9lines", "a b"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new ModalityDescriptor<>(bad, Modality.OTHER, "lines", "lines", TextEvent.class, DecodedText.class), bad);
            assertTrue(e.getMessage().contains("name is one lower-case word"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> new ModalityDescriptor<>("toy", Modality.OTHER, "Lines", "lines", TextEvent.class, DecodedText.class));
        assertThrows(NullPointerException.class,
                () -> new ModalityDescriptor<>("toy", null, "lines", "lines", TextEvent.class, DecodedText.class));
    }
}
