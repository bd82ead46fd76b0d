package dev.weir.topology.modality;

import org.apache.avro.specific.SpecificRecord;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What names a modality and its records: everything about it that is a constant.
 *
 * @param name         lower-case name: the section of its settings ({@code weir.NAME.*}), topics, processors and stores
 * @param symbol       the symbol of its token batches
 * @param input        the last part of its input topic's default name: {@code frames} gives {@code weir.video.frames}
 * @param units        what one unit is called, plural, in metric names: {@code frames} gives {@code frames-tokenized}
 * @param eventClass   the input topic's Avro event class
 * @param decodedClass the decoded topic's Avro record class
 * @param <E>          the Avro event of the input topic
 * @param <D>          the Avro record of the decoded topic
 */
public record ModalityDescriptor<E extends SpecificRecord, D extends SpecificRecord>(
        String name, dev.weir.avro.Modality symbol, String input, String units, Class<E> eventClass, Class<D> decodedClass) {

    private static final Pattern WORD = Pattern.compile("[a-z][a-z0-9]*");

    public ModalityDescriptor {
        requireWord("name", name);
        requireWord("input", input);
        requireWord("units", units);
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(eventClass, "eventClass");
        Objects.requireNonNull(decodedClass, "decodedClass");
    }

    private static void requireWord(String what, String value) {
        if (value == null || !WORD.matcher(value).matches()) {
            throw new IllegalArgumentException("a modality's " + what + " is one lower-case word (it names topics, "
                    + "settings and metrics): " + value);
        }
    }
}
