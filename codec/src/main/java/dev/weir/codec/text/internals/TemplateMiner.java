package dev.weir.codec.text.internals;

import dev.weir.codec.SnapshotFormatException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Online template mining after Drain (He, Zhu, Zheng, Lyu, "Drain: An Online Log Parsing Approach with
 * Fixed Depth Tree", ICWS 2017), over {@link Words}: a parse tree of fixed depth routes a message by
 * its word count, then by its first {@code depth − 2} words without digits (Drain sends a word with
 * digits to the wildcard child; skipping them instead stands in for Drain's removal of the log header;
 * a word that finds its node full at {@code maxChildren} goes to the wildcard child), to a leaf holding a
 * few templates;
 * the message joins the most similar one when Drain's simSeq (equal constant words / words) reaches the
 * threshold, and the positions that differ become variable.
 *
 * <p>Bounded: at most {@code maxTemplates} templates and {@code maxChars} characters; the least
 * recently used template is evicted (and the tree nodes only it used are removed), so the tree is
 * always the union of the live templates' paths. Everything is deterministic (ties go to the lowest
 * id), so an encoder and a decoder that apply the same operations hold the same templates, and a
 * snapshot (templates in LRU order with their paths) restores the same tree.
 */
final class TemplateMiner {

    private static final String WILDCARD = "\u0000<*>";

    private final int maxTemplates;
    private final int maxChars;
    private final double similarity;
    private final int depth;
    private final int maxChildren;
    private final Node root = new Node(null, null);
    /** Least recently used first. */
    private final LinkedHashMap<Long, Template> byId = new LinkedHashMap<>();
    private long nextId;
    private long chars;

    TemplateMiner(int maxTemplates, int maxChars, double similarity, int depth, int maxChildren) {
        this.maxTemplates = maxTemplates;
        this.maxChars = maxChars;
        this.similarity = similarity;
        this.depth = depth;
        this.maxChildren = maxChildren;
    }

    /** Whether a message of these words may be templated: at least two words, and small enough to keep. */
    boolean accepts(String[] words, int textChars, int maxWords) {
        return words.length >= 2 && words.length <= maxWords && textChars <= maxChars / 8;
    }

    /** Drain's tree search and fast match: the most similar template at or above the threshold, or null. */
    Template match(String[] words) {
        Node node = root.children.get(lengthKey(words.length));
        int w = 0;
        for (int d = 0; node != null && d < leadingLayers(words.length); d++) {
            w = nextKeyWord(words, w);
            Node next = w < words.length ? node.children.get(words[w++]) : null;
            node = next != null ? next : node.children.get(WILDCARD);
        }
        if (node == null) {
            return null;
        }
        Template best = null;
        double bestSim = -1;
        for (Template t : node.templates) {
            double sim = t.similarity(words);
            if (sim > bestSim || (sim == bestSim && t.id < best.id)) {
                best = t;
                bestSim = sim;
            }
        }
        return best != null && bestSim >= similarity ? best : null;
    }

    /** A hash of what routes a message: its word count and its routing words (see {@link Doorkeeper}). */
    int shape(String[] words) {
        int h = words.length;
        int w = 0;
        for (int d = 0; d < leadingLayers(words.length); d++) {
            w = nextKeyWord(words, w);
            h = 31 * h + (w < words.length ? words[w++].hashCode() : 0);
        }
        return h;
    }

    /** The id the next {@link #learn} takes. */
    long nextId() {
        return nextId;
    }

    /** Creates a template of all-constant {@code words} (Drain's new log group) and evicts beyond the bounds. */
    Template learn(String[] words, int[] tokens) {
        String[] path = new String[1 + leadingLayers(words.length)];
        path[0] = lengthKey(words.length);
        Node node = root.child(path[0]);
        int w = 0;
        for (int d = 0; d < path.length - 1; d++) {
            w = nextKeyWord(words, w);
            path[d + 1] = w < words.length ? routeForInsert(node, words[w++]) : WILDCARD;
            node = node.child(path[d + 1]);
        }
        Template t = new Template(nextId++, path, words.clone(), tokens.clone(), new boolean[words.length]);
        node.templates.add(t);
        byId.put(t.id, t);
        chars += t.chars();
        evict();
        return t;
    }

    /** How many templates were learned after {@code t}: what a reference carries (see {@link MessageCache#age}). */
    long age(Template t) {
        return nextId - 1 - t.id;
    }

    /** The template learned {@code age} templates ago, without refreshing it; null when none. */
    Template byAge(long age) {
        return age < 0 || age >= nextId ? null : get(nextId - 1 - age);
    }

    /** The template {@code id}, without refreshing it; null when none. */
    Template get(long id) {
        return byId.get(id);
    }

    /** Records a message that matched {@code t} (see {@link Template#update}), refreshes it, evicts beyond the bounds. */
    void update(Template t, String[] words, int[] tokens, int[] newVariables) {
        chars -= t.chars();
        t.update(words, tokens, newVariables);
        chars += t.chars();
        byId.remove(t.id);
        byId.put(t.id, t);
        evict();
    }

    long chars() {
        return chars;
    }

    private int leadingLayers(int words) {
        return Math.min(depth - 2, words);
    }

    private static final String[] LENGTH_KEYS = new String[1024];

    static {
        for (int i = 0; i < LENGTH_KEYS.length; i++) {
            LENGTH_KEYS[i] = Integer.toString(i);
        }
    }

    private static String lengthKey(int words) {
        return words < LENGTH_KEYS.length ? LENGTH_KEYS[words] : Integer.toString(words);
    }

    /**
     * The index of the first word at or after {@code from} that holds no digit (words.length when none).
     * Drain routes a word with digits to the wildcard child: it carries no routing information. Routing
     * on the first digit-free words instead of the first words keeps a leading timestamp (which Drain
     * strips with a log-format regex) from sending every message of a length to one crowded leaf.
     */
    private static int nextKeyWord(String[] words, int from) {
        int w = from;
        while (w < words.length && hasDigit(words[w])) {
            w++;
        }
        return w;
    }

    /** Drain3's insertion rule for one leading-word layer (for a word without digits). */
    private String routeForInsert(Node node, String word) {
        if (node.children.containsKey(word)) {
            return word;
        }
        boolean hasWildcard = node.children.containsKey(WILDCARD);
        int size = node.children.size();
        if (hasWildcard) {
            return size < maxChildren ? word : WILDCARD;
        }
        return size + 1 < maxChildren ? word : WILDCARD;
    }

    /** Whether a word holds a digit: Drain's sign of a variable, so the message likely has siblings. */
    static boolean hasVariableWord(String[] words) {
        for (String w : words) {
            if (hasDigit(w)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasDigit(String word) {
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c >= '0' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    private void evict() {
        Iterator<Template> eldest = byId.values().iterator();
        while (byId.size() > maxTemplates || (chars > maxChars && byId.size() > 1)) {
            Template t = eldest.next();
            eldest.remove();
            chars -= t.chars();
            Node leaf = root;
            for (String key : t.path) {
                leaf = leaf.children.get(key);
            }
            leaf.templates.remove(t);
            for (Node n = leaf; n != root && n.children.isEmpty() && n.templates.isEmpty(); n = n.parent) {
                n.parent.children.remove(n.key);
            }
        }
    }

    /**
     * Next id, count, then each template (least recent first): id delta, path keys, word count, and per
     * word a flag (constant or variable), its token count and its text.
     */
    void write(StateOutput out) {
        out.varint(nextId).varint(byId.size());
        long previous = 0;
        for (Template t : byId.values()) {
            out.signed(t.id - previous);
            previous = t.id;
            out.varint(t.path.length - 1);
            for (int d = 1; d < t.path.length; d++) {
                String key = t.path[d];
                // Wildcard keys are written as the empty string (never a word: words are never empty).
                out.string(key.equals(WILDCARD) ? "" : key);
            }
            out.varint(t.size());
            for (int i = 0; i < t.size(); i++) {
                out.varint(((long) t.tokens[i] << 1) | (t.variable[i] ? 1 : 0)).string(t.words[i]);
            }
        }
    }

    void read(StateInput in, int maxWords) {
        byId.clear();
        root.children.clear();
        chars = 0;
        nextId = in.varint();
        int count = in.count(maxTemplates, "template count");
        long id = 0;
        for (int i = 0; i < count; i++) {
            id += in.signed();
            if (id < 0 || id >= nextId || byId.containsKey(id)) {
                throw new SnapshotFormatException("text state snapshot: template " + i + " has an invalid id " + id);
            }
            int layers = in.count(Math.max(0, depth - 2), "template path length");
            String[] path = new String[1 + layers];
            for (int d = 1; d <= layers; d++) {
                String key = in.string(maxChars * 4);
                path[d] = key.isEmpty() ? WILDCARD : key;
            }
            int size = in.count(maxWords, "template word count");
            path[0] = lengthKey(size);
            if (size < 2 || layers != leadingLayers(size)) {
                throw new SnapshotFormatException("text state snapshot: template " + id + " has " + size
                        + " words and a path of " + layers);
            }
            String[] words = new String[size];
            int[] tokens = new int[size];
            boolean[] variable = new boolean[size];
            for (int w = 0; w < size; w++) {
                long flagged = in.varint();
                variable[w] = (flagged & 1) != 0;
                tokens[w] = Math.toIntExact(flagged >>> 1);
                words[w] = in.string(maxChars * 4);
            }
            Template t = new Template(id, path, words, tokens, variable);
            Node node = root;
            for (String key : path) {
                node = node.child(key);
            }
            node.templates.add(t);
            byId.put(id, t);
            chars += t.chars();
        }
        if (chars > maxChars && byId.size() > 1) {
            throw new SnapshotFormatException("text state snapshot: templates hold " + chars + " characters, the bound is "
                    + maxChars);
        }
    }

    /** A node of the parse tree: inner nodes route by key, leaves hold templates. */
    private static final class Node {
        final Node parent;
        final String key;
        final HashMap<String, Node> children = new HashMap<>();
        final List<Template> templates = new ArrayList<>(2);

        Node(Node parent, String key) {
            this.parent = parent;
            this.key = key;
        }

        Node child(String childKey) {
            return children.computeIfAbsent(childKey, k -> new Node(this, k));
        }
    }
}
