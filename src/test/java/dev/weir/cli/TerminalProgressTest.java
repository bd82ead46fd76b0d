package dev.weir.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TerminalProgressTest {

    @Test
    void onATerminalTheLineIsRewrittenInPlaceAndErasedAtTheEnd() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TerminalProgress progress = new TerminalProgress("weir eval video", new PrintStream(bytes, true, StandardCharsets.UTF_8), true)) {
            progress.update("encoding", 1, 10);
            progress.update("encoding", 2, 10); // within the same quarter second: not shown
            progress.update("encoding", 10, 10); // the last one always is
        }
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertTrue(out.startsWith("\rweir eval video: encoding 1/10 (10%)"), out);
        assertTrue(out.contains("\rweir eval video: encoding 10/10 (100%)"), out);
        assertFalse(out.contains("2/10"), out);
        assertFalse(out.contains("\n"), "never a new line: " + out);
        assertTrue(out.endsWith("\r"), "erased at the end: " + out);
    }

    @Test
    void offATerminalItPrintsNothing() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TerminalProgress progress = new TerminalProgress("weir produce", new PrintStream(bytes, true, StandardCharsets.UTF_8), false)) {
            progress.update("frames sent", 5, 0);
            assertEquals(42, progress.whileWorking("training", () -> 42));
        }
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
        assertFalse(TerminalProgress.onTerminal(), "a test's output is not a terminal");
    }
}
