package dev.weir.serdes.internals;

import dev.weir.serdes.InvalidUtf8Exception;
import dev.weir.serdes.UnknownSymbolException;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.io.Decoder;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * Walks an Avro body with its writer schema without building anything (as {@code GenericDatumReader.skip}
 * does), and checks every string on the way to be valid UTF-8: a corrupt length or count runs into the end
 * of the bytes instead of allocating, and a string the Avro reader would silently repair with U+FFFD is an
 * {@link InvalidUtf8Exception} instead. An enum index must name one of the writer's symbols, and a symbol listed
 * in {@code refusedSymbols} is an {@link UnknownSymbolException}.
 *
 * @param in             the body
 * @param bodyBytes      the body's length: no length read from it is trusted beyond that
 * @param refusedSymbols by enum full name, writer symbols that must not be read (empty: none)
 */
public record AvroBodyCheck(Decoder in, int bodyBytes, Map<String, Set<String>> refusedSymbols) {

    /** Walks one datum of {@code schema} in a body of {@code bodyBytes} bytes, refusing {@code refusedSymbols}. */
    public static void walk(Schema schema, Decoder in, int bodyBytes, Map<String, Set<String>> refusedSymbols) throws IOException {
        new AvroBodyCheck(in, bodyBytes, refusedSymbols).walk(schema);
    }

    private void walk(Schema schema) throws IOException {
        switch (schema.getType()) {
            case RECORD -> {
                for (Schema.Field field : schema.getFields()) {
                    walk(field.schema());
                }
            }
            case ENUM -> symbol(schema);
            case ARRAY -> {
                for (long n = in.skipArray(); n != 0; n = in.skipArray()) {
                    for (long i = 0; i < n; i++) {
                        walk(schema.getElementType());
                    }
                }
            }
            case MAP -> {
                for (long n = in.skipMap(); n != 0; n = in.skipMap()) {
                    for (long i = 0; i < n; i++) {
                        string();
                        walk(schema.getValueType());
                    }
                }
            }
            case UNION -> walk(schema.getTypes().get(in.readIndex()));
            case FIXED -> in.skipFixed(schema.getFixedSize());
            case STRING -> string();
            case BYTES -> in.skipBytes();
            case INT -> in.readInt();
            case LONG -> in.readLong();
            case FLOAT -> in.readFloat();
            case DOUBLE -> in.readDouble();
            case BOOLEAN -> in.readBoolean();
            case NULL -> in.readNull();
        }
    }

    /** An enum: the index of one of the writer's symbols, which must not be refused. */
    private void symbol(Schema schema) throws IOException {
        int index = in.readEnum();
        if (index < 0 || index >= schema.getEnumSymbols().size()) {
            throw new AvroTypeException("enum " + schema.getFullName() + " has " + schema.getEnumSymbols().size()
                    + " symbols, none at index " + index);
        }
        String symbol = schema.getEnumSymbols().get(index);
        if (refusedSymbols.getOrDefault(schema.getFullName(), Set.of()).contains(symbol)) {
            throw new UnknownSymbolException(schema.getFullName(), symbol, "enum " + schema.getFullName() + " symbol " + symbol
                    + " is not one this reader knows");
        }
    }

    /** A string: its length, then its UTF-8 bytes. */
    private void string() throws IOException {
        long length = in.readLong();
        if (length < 0 || length > bodyBytes) {
            throw new EOFException("a string claims " + length + " bytes in a body of " + bodyBytes);
        }
        byte[] data = new byte[(int) length];
        in.readFixed(data);
        ByteBuffer bytes = ByteBuffer.wrap(data);
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            utf8.decode(bytes);
        } catch (CharacterCodingException e) {
            throw new InvalidUtf8Exception("a string of " + length + " bytes is not valid UTF-8 (bad byte at offset "
                    + bytes.position() + "): Avro strings must be UTF-8, and Weir does not repair them");
        }
    }
}
