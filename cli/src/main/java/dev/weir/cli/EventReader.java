package dev.weir.cli;

import java.io.IOException;
import java.util.Optional;

/**
 * Events read from files one at a time, so a long input is never held in memory whole ({@code weir produce},
 * the demo).
 *
 * @param <E> the Avro event
 */
interface EventReader<E> extends AutoCloseable {

    /** The next event, or empty at the end (or at the limit). */
    Optional<E> next() throws IOException;

    @Override
    void close() throws IOException;
}
