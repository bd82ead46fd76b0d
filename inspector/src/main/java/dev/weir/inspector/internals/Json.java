package dev.weir.inspector.internals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.UncheckedIOException;

/** The JSON of the inspector's views (immutable records, written by Jackson). */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {
    }

    public static byte[] bytes(Object view) {
        try {
            return MAPPER.writeValueAsBytes(view);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The mapper, for tests that read the JSON back. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
