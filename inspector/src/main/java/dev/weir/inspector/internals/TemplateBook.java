package dev.weir.inspector.internals;

import dev.weir.avro.TextLayout;
import dev.weir.avro.TextLayoutKind;
import dev.weir.codec.text.TextMessages;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A text stream's templates as its token batches announce them (docs/text.md): a literal with
 * {@code learnedTemplate = n} teaches template n from its words (every word constant); a {@code TEMPLATE} message
 * refers to the template learned {@code ref} templates before the newest, makes its {@code newVariables} words
 * variable, and its words become the template's last values. So the book needs no access to the decoder's state, only
 * the batches and the decoded text, in seq order. Ages resolve to ids once a learned template was seen; a template
 * learned before the inspector started is shown from its first use, with only the variables announced since
 * ({@code complete} false). Bounded: the {@code max} templates used least recently are forgotten.
 */
public final class TemplateBook {

    /** One word of a template: its last value and whether it is a variable field. */
    public record Word(String text, boolean variable) {
    }

    /**
     * A template as the page lists it.
     *
     * @param id         its id (templates are numbered from 0 in the order they are learned)
     * @param words      its words
     * @param uses       messages coded with it since the inspector saw it
     * @param learnedSeq seq of the message that taught it (-1 when that was before the inspector started)
     * @param lastSeq    seq of the last message coded with it
     * @param complete   whether every variable is known (it was learned while the inspector watched)
     */
    public record Template(long id, List<Word> words, long uses, long learnedSeq, long lastSeq, boolean complete) {
    }

    private static final class Held {
        final long id;
        final long learnedSeq;
        final boolean complete;
        String[] words;
        boolean[] variable;
        long uses;
        long lastSeq;

        Held(long id, String[] words, long learnedSeq, boolean complete) {
            this.id = id;
            this.words = words;
            this.variable = new boolean[words.length];
            this.learnedSeq = learnedSeq;
            this.lastSeq = learnedSeq;
            this.complete = complete;
        }
    }

    private final int max;
    private final Map<Long, Held> byId;
    private long nextId = -1;
    private long unresolved;

    public TemplateBook(int max) {
        this.max = max;
        this.byId = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Held> eldest) {
                return size() > TemplateBook.this.max;
            }
        };
    }

    /**
     * Takes the next message of the stream: its layout and its decoded text. Returns the id of the template it taught
     * or used, or -1.
     */
    public long accept(long seq, TextLayout layout, String text) {
        if (layout.getKind() == TextLayoutKind.LITERAL && layout.getLearnedTemplate() >= 0) {
            long id = layout.getLearnedTemplate();
            nextId = id + 1;
            byId.put(id, new Held(id, TextMessages.words(text), seq, true));
            return id;
        }
        if (layout.getKind() != TextLayoutKind.TEMPLATE) {
            return -1;
        }
        if (nextId < 0) {
            unresolved++;
            return -1;
        }
        long id = nextId - 1 - layout.getRef();
        String[] words = TextMessages.words(text);
        Held e = byId.get(id);
        if (e == null || e.words.length != words.length) {
            e = new Held(id, words, -1, false);
            byId.put(id, e);
        }
        for (int p : layout.getNewVariables()) {
            if (p >= 0 && p < e.variable.length) {
                e.variable[p] = true;
            }
        }
        e.words = words;
        e.uses++;
        e.lastSeq = seq;
        return id;
    }

    /** The templates held, the most recently used first. */
    public List<Template> templates() {
        List<Template> out = new ArrayList<>();
        for (Held e : byId.values()) {
            List<Word> words = new ArrayList<>(e.words.length);
            for (int i = 0; i < e.words.length; i++) {
                words.add(new Word(e.words[i], e.variable[i]));
            }
            out.add(new Template(e.id, words, e.uses, e.learnedSeq, e.lastSeq, e.complete));
        }
        return out.reversed();
    }

    /** Template messages seen before any learned template (their ids could not be resolved). */
    public long unresolved() {
        return unresolved;
    }
}
