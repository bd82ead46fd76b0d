package dev.weir.topology.modality;

import dev.weir.avro.TokenBatch;
import dev.weir.codec.MediaFormatException;
import dev.weir.serdes.SubjectSchema;
import dev.weir.topology.WeirConfig;
import org.apache.avro.specific.SpecificRecord;

import java.util.List;

/**
 * A kind of media Weir carries through its topology: what a modality plugs in. Weir's generic processors do
 * the rest (deserialization, keys and seq checks, state stores, idle expiry, dead letters, metrics, token
 * batches); {@code WeirTopology} wires one tokenizer and one decoder sub-topology per enabled modality:
 * <pre>
 *   weir.NAME.INPUT ─► NAME-tokenizer ─► weir.NAME.tokens ─► NAME-decoder ─► weir.NAME.decoded
 * </pre>
 * See docs/architecture.md, "Adding a modality".
 *
 * @param <E> the Avro event of the input topic
 * @param <M> the codec's unit of media (decoded from an event, rebuilt by the decoder)
 * @param <L> the codec's layout: what travels beside the tokens
 * @param <D> the Avro record of the decoded topic
 */
public interface Modality<E extends SpecificRecord, M, L, D extends SpecificRecord> {

    /**
     * Its name, batch symbol, topic and unit names, and Avro classes. The six methods below read it; an
     * implementation overrides none of them, so that they always agree with it.
     */
    ModalityDescriptor<E, D> descriptor();

    /** Lower-case name: the section of its settings ({@code weir.NAME.*}), topics, processors and stores. */
    default String name() {
        return descriptor().name();
    }

    /** The symbol of its token batches. */
    default dev.weir.avro.Modality symbol() {
        return descriptor().symbol();
    }

    /** The last part of its input topic's default name: {@code frames} gives {@code weir.video.frames}. */
    default String input() {
        return descriptor().input();
    }

    /** What one unit is called, plural, in metric names: {@code frames} gives {@code frames-tokenized}. */
    default String units() {
        return descriptor().units();
    }

    /** The input topic's Avro event class. */
    default Class<E> eventClass() {
        return descriptor().eventClass();
    }

    /** The decoded topic's Avro record class. */
    default Class<D> decodedClass() {
        return descriptor().decodedClass();
    }

    /** The stream id of an event: its record key must equal it. */
    String streamId(E event);

    /** The event's number in its stream, increasing. */
    long seq(E event);

    /** When the event's media was captured or sent (its own timestamp, copied into the token batch). */
    java.time.Instant timestamp(E event);

    /**
     * The event's unit of media, checked and decoded, before anything large is allocated for it.
     *
     * @param maxEventBytes the largest record Weir writes: a unit whose decoded output could not fit is too large
     * @throws dev.weir.codec.MediaTooLargeException when the unit (or what it decodes to) is too large
     * @throws MediaFormatException when the event's media is malformed
     */
    M media(E event, int maxEventBytes);

    /**
     * Checks this modality's settings in {@code config} now, so that a wrong one fails when the topology is
     * built rather than in every stream thread that opens the codec.
     *
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    default void check(WeirConfig config) {
    }

    /** Opens this modality's codec for one processor (one stream task), from its settings in {@code config}. */
    ModalityCodec<M, L> open(WeirConfig config);

    /** The layout as its branch of the token batch's layout union. */
    Object layoutToAvro(L layout);

    /**
     * The layout of a token batch of this modality.
     *
     * @throws MediaFormatException when the batch carries no layout of this modality
     */
    L layoutFromAvro(Object layout);

    /**
     * The most bytes the decoded record of a batch with this layout takes, as far as the layout tells before anything
     * is decoded, or -1 when it does not tell. The decoder refuses a batch above {@code weir.max.event.bytes}
     * ({@code oversized}) without decoding it: a token batch of a hundred bytes can declare a picture of 200 MB, and
     * a decoded record the producer refuses would fail the transaction on every retry. The tokenizer refuses an
     * event whose batch the decoder would refuse.
     */
    default long decodedBytes(L layout) {
        return -1;
    }

    /**
     * Whether this modality's decoder resumes by itself after a gap (batches lost, set aside, or a decoder that
     * joined a stream late). When false (the default) the decoder refuses every batch after a gap until the
     * next keyframe, which suits a modality that sends keyframes (video's refresh, text's literals); audio,
     * which seldom has one, resumes with a short silence instead.
     */
    default boolean decoderResumesAfterGap() {
        return false;
    }

    /** The decoded output for {@code batch}, rebuilt as {@code media}. */
    D decoded(TokenBatch batch, M media);

    /** The schemas of this modality's topics, registered at start-up (BACKWARD compatibility). */
    default List<SubjectSchema> schemas(ModalityTopicNames topics) {
        return List.of(SubjectSchema.topicValue(topics.input(), schemaOf(eventClass())),
                SubjectSchema.topicValue(topics.tokens(), TokenBatch.getClassSchema()),
                SubjectSchema.topicValue(topics.decoded(), schemaOf(decodedClass())));
    }

    private static org.apache.avro.Schema schemaOf(Class<? extends SpecificRecord> type) {
        return org.apache.avro.specific.SpecificData.get().getSchema(type);
    }
}
