package dev.weir.codec.text.internals;

/**
 * One mined template (a Drain "log group"): a fixed number of words, each either constant or a
 * variable field, with the words last seen at every position (for a constant, the constant itself; for
 * a variable, the field's previous value, which a message may repeat for free) and their token counts.
 * Mutable; owned by one {@link TemplateMiner}.
 */
final class Template {

    final long id;
    /** The routing keys of its parse-tree path (length key, then the leading-word keys). */
    final String[] path;
    final String[] words;
    final int[] tokens;
    final boolean[] variable;
    private int chars;

    Template(long id, String[] path, String[] words, int[] tokens, boolean[] variable) {
        this.id = id;
        this.path = path;
        this.words = words;
        this.tokens = tokens;
        this.variable = variable;
        for (String w : words) {
            chars += w.length();
        }
    }

    int size() {
        return words.length;
    }

    /** Characters of the words held: what the miner's character bound counts. */
    int chars() {
        return chars;
    }

    /** Drain's simSeq: the share of positions whose constant word equals the message's word. */
    double similarity(String[] message) {
        int same = 0;
        for (int i = 0; i < words.length; i++) {
            if (!variable[i] && words[i].equals(message[i])) {
                same++;
            }
        }
        return (double) same / words.length;
    }


    /** Records a message: {@code newVariables} become variable; every position takes the message's word. */
    void update(String[] message, int[] messageTokens, int[] newVariables) {
        for (int p : newVariables) {
            variable[p] = true;
        }
        for (int i = 0; i < words.length; i++) {
            chars += message[i].length() - words[i].length();
            words[i] = message[i];
            tokens[i] = messageTokens[i];
        }
    }
}
