package dev.weir.serdes;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record holds an enum symbol of its writer's schema that the reader's enum does not have (a producer on a newer
 * schema used a symbol added since), and the deserializer was asked to refuse such symbols
 * ({@link ConfluentAvroDeserializer#refusingUnknownSymbols}) rather than read the reader's default in their place,
 * as Avro's schema resolution does. The message names the enum, the symbol and the symbols the reader knows.
 */
public final class UnknownSymbolException extends SerializationException {

    private static final long serialVersionUID = 1L;

    private final String enumName;
    private final String symbol;

    public UnknownSymbolException(String enumName, String symbol, String message) {
        super(message);
        this.enumName = enumName;
        this.symbol = symbol;
    }

    /** The full name of the enum. */
    public String enumName() {
        return enumName;
    }

    /** The symbol the reader does not know. */
    public String symbol() {
        return symbol;
    }
}
