package dev.weir.codec.text;

import dev.weir.codec.MediaFormatException;

import java.util.Arrays;
import java.util.Objects;

/**
 * How a {@link TextDecoder} rebuilds one message from its packet: the layout that travels beside the
 * {@link dev.weir.codec.TokenPacket} (mirrored by an Avro record in the token batch). Only an enum,
 * longs, a boolean and int arrays, so the mirror is plain.
 *
 * <p>Every message, whatever its kind, also updates the state both sides keep, the same way: a
 * {@link Kind#CACHED} message refreshes its cache entry; any other message enters the message cache; a
 * {@link Kind#TEMPLATE} message refreshes its template and records its words; every message becomes the
 * "previous message" a field may copy a word from.
 *
 * <p>Template fields: for each variable field of the template (after {@code newVariables}), in word
 * order, the field's ids are {@code fieldPrefix[k]} ids from the start of a base word's ids, then
 * {@code fieldTokens[k]} ids taken in order from the packet, then {@code fieldSuffix[k]} ids from the end
 * of the base word's ids. The base word is the template's word at that position (its previous value, or
 * the constant it replaces) when {@code fieldSource[k]} is −1, else word {@code fieldSource[k]} of the
 * previous message. A repeated value is (source −1, prefix = all its ids, 0 sent, suffix 0).
 *
 * @param kind            how the message is coded
 * @param ref             {@link Kind#CACHED}: the cached message's age, how many messages entered the cache
 *                        after it (0 = the newest entry); {@link Kind#TEMPLATE}: the template's age, how many
 *                        templates were learned after it (0 = the newest); {@link Kind#LITERAL}: −1. Ages,
 *                        not ids, so that references stay one-byte varints on the wire
 * @param learnedTemplate {@link Kind#LITERAL} only: the id of the template the decoder must learn from
 *                        this message (the encoder learned it too; ids count the templates learned before,
 *                        so it is a check of sync), −1 when none
 * @param newVariables    {@link Kind#TEMPLATE} only: the word positions (ascending) where the template's
 *                        constant word differs from the message's; they become variable fields
 * @param fieldTokens     {@link Kind#TEMPLATE} only: per field, ids sent in the packet
 * @param fieldPrefix     {@link Kind#TEMPLATE} only: per field, ids reused from the base word's start
 * @param fieldSuffix     {@link Kind#TEMPLATE} only: per field, ids reused from the base word's end
 * @param fieldSource     {@link Kind#TEMPLATE} only: per field, −1 (the template's word) or a word index of
 *                        the previous message
 * @param pruned          the message was pruned (lossy): the decoder rebuilds the compressed prompt
 */
public record TextLayout(Kind kind, long ref, long learnedTemplate, int[] newVariables, int[] fieldTokens,
                         int[] fieldPrefix, int[] fieldSuffix, int[] fieldSource, boolean pruned) {

    private static final int[] NONE = new int[0];

    /** How a message is coded. */
    public enum Kind {
        /** All the message's tokens are in the packet. */
        LITERAL,
        /** No token: the message is the cached message of age {@code ref}. */
        CACHED,
        /** The template of age {@code ref} with the tokens of its variable fields. */
        TEMPLATE
    }

    public TextLayout {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(newVariables, "newVariables");
        Objects.requireNonNull(fieldTokens, "fieldTokens");
        Objects.requireNonNull(fieldPrefix, "fieldPrefix");
        Objects.requireNonNull(fieldSuffix, "fieldSuffix");
        Objects.requireNonNull(fieldSource, "fieldSource");
        int fields = fieldTokens.length;
        require(fieldPrefix.length == fields && fieldSuffix.length == fields && fieldSource.length == fields,
                "fieldTokens, fieldPrefix, fieldSuffix and fieldSource need one entry per field");
        switch (kind) {
            case LITERAL -> require(ref == -1 && newVariables.length == 0 && fields == 0 && learnedTemplate >= -1,
                    "a literal carries no ref, variables or fields");
            case CACHED -> require(ref >= 0 && learnedTemplate == -1 && newVariables.length == 0 && fields == 0,
                    "a cache reference carries only its ref ≥ 0");
            case TEMPLATE -> require(ref >= 0 && learnedTemplate == -1, "a template reference needs its ref ≥ 0");
        }
        for (int i = 0; i < newVariables.length; i++) {
            require(newVariables[i] >= 0 && (i == 0 || newVariables[i] > newVariables[i - 1]),
                    "newVariables must be ascending and ≥ 0");
        }
        for (int i = 0; i < fields; i++) {
            require(fieldTokens[i] >= 0 && fieldPrefix[i] >= 0 && fieldSuffix[i] >= 0 && fieldSource[i] >= -1,
                    "field counts must be ≥ 0 and sources ≥ −1");
        }
    }

    /** A literal message; {@code learnedTemplate} = −1 when the decoder learns no template from it. */
    public static TextLayout literal(long learnedTemplate, boolean pruned) {
        return new TextLayout(Kind.LITERAL, -1, learnedTemplate, NONE, NONE, NONE, NONE, NONE, pruned);
    }

    /** A reference to the cached message of age {@code age}. */
    public static TextLayout cached(long age, boolean pruned) {
        return new TextLayout(Kind.CACHED, age, -1, NONE, NONE, NONE, NONE, NONE, pruned);
    }

    /** The template of age {@code age} with its variable fields. */
    public static TextLayout template(long age, int[] newVariables, int[] fieldTokens, int[] fieldPrefix,
                                      int[] fieldSuffix, int[] fieldSource, boolean pruned) {
        return new TextLayout(Kind.TEMPLATE, age, -1, newVariables, fieldTokens, fieldPrefix, fieldSuffix, fieldSource,
                pruned);
    }

    /** Number of variable fields. */
    public int fields() {
        return fieldTokens.length;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new MediaFormatException("text layout invalid: " + message);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TextLayout l && kind == l.kind && ref == l.ref && learnedTemplate == l.learnedTemplate
                && pruned == l.pruned && Arrays.equals(newVariables, l.newVariables)
                && Arrays.equals(fieldTokens, l.fieldTokens) && Arrays.equals(fieldPrefix, l.fieldPrefix)
                && Arrays.equals(fieldSuffix, l.fieldSuffix) && Arrays.equals(fieldSource, l.fieldSource);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, ref, learnedTemplate, pruned, Arrays.hashCode(newVariables),
                Arrays.hashCode(fieldTokens), Arrays.hashCode(fieldPrefix), Arrays.hashCode(fieldSuffix),
                Arrays.hashCode(fieldSource));
    }

    @Override
    public String toString() {
        return "TextLayout[" + kind + ", ref=" + ref + ", learnedTemplate=" + learnedTemplate + ", newVariables="
                + Arrays.toString(newVariables) + ", fieldTokens=" + Arrays.toString(fieldTokens) + ", fieldPrefix="
                + Arrays.toString(fieldPrefix) + ", fieldSuffix=" + Arrays.toString(fieldSuffix) + ", fieldSource="
                + Arrays.toString(fieldSource) + ", pruned=" + pruned + "]";
    }
}
