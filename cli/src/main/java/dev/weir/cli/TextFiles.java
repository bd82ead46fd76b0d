package dev.weir.cli;

import dev.weir.avro.TextEvent;
import dev.weir.codec.text.TextEvaluation.MessageMode;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** Text files as {@code TextEvent} messages: each line (the default), or the whole file as one message. */
final class TextFiles {

    private TextFiles() {
    }

    /**
     * The messages of {@code path}, at most {@code limit}, timestamped from now {@code 1000 / rate} ms apart. A
     * file that is not UTF-8 is refused when the bad bytes are read (Weir's topics carry UTF-8).
     */
    static EventReader<TextEvent> open(Path path, String streamId, int limit, MessageMode mode, double rate) throws IOException {
        long start = System.currentTimeMillis();
        long step = Math.round(1000 / rate);
        BufferedReader reader = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(path),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)));
        return new EventReader<>() {
            private int seq;
            private boolean done;

            @Override
            public Optional<TextEvent> next() throws IOException {
                if (done || seq >= limit) {
                    return Optional.empty();
                }
                String text = mode == MessageMode.FILE ? readAll(reader) : reader.readLine();
                done = mode == MessageMode.FILE || text == null;
                if (text == null) {
                    return Optional.empty();
                }
                TextEvent event = TextEvent.newBuilder().setStreamId(streamId).setSeq(seq)
                        .setTimestamp(Instant.ofEpochMilli(start + seq * step)).setText(text).build();
                seq++;
                return Optional.of(event);
            }

            @Override
            public void close() throws IOException {
                reader.close();
            }
        };
    }

    private static String readAll(BufferedReader reader) throws IOException {
        StringBuilder out = new StringBuilder();
        char[] buffer = new char[8192];
        for (int n; (n = reader.read(buffer)) > 0; ) {
            out.append(buffer, 0, n);
        }
        return out.toString();
    }
}
