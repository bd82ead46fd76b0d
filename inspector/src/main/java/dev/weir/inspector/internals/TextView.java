package dev.weir.inspector.internals;

import java.util.List;

/**
 * A text stream's panel (JSON): its recent messages with where their ids came from, its templates, and the tokens the
 * cache and templates saved over the window.
 *
 * @param messages    the last messages, newest first
 * @param templates   the templates, most recently used first
 * @param tokensFull  ids of the window's messages
 * @param tokensSent  ids sent for them
 * @param tokensSaved ids the decoder's cache and templates supplied: full − sent
 * @param literal     messages in the window sent whole
 * @param cached      messages in the window that repeated a cached one
 * @param templated   messages in the window coded with a template
 * @param unresolvedTemplates template messages whose template the inspector could not name (it joined the stream late)
 */
public record TextView(List<Message> messages, List<TemplateBook.Template> templates, long tokensFull, long tokensSent,
                       long tokensSaved, long literal, long cached, long templated, long unresolvedTemplates) {

    /**
     * One decoded message.
     *
     * @param seq       its seq
     * @param timestamp its stream time, ms
     * @param kind      LITERAL, CACHED or TEMPLATE
     * @param template  the template it taught or used (-1 when none)
     * @param pruned    the encoder pruned it (lossy)
     * @param full      its ids
     * @param sent      ids sent
     * @param spans     its text by where the ids came from
     */
    public record Message(long seq, long timestamp, String kind, long template, boolean pruned, long full, long sent,
                          List<TextSpans.Span> spans) {
    }
}
