package dev.weir.topology;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which settings are secrets, and how Weir shows a setting or a URL without them: a secret's value is
 * {@value #HIDDEN}, as Kafka's own configuration logging shows it, and a URL loses its {@code user:password@}.
 * Secrets never go into a log line, an error message or a metric.
 */
public final class Secrets {

    /** What a secret looks like when shown. */
    public static final String HIDDEN = "[hidden]";

    /** Keys whose values are secrets: passwords, tokens, JAAS configurations, registry credentials, private keys. */
    private static final Pattern SECRET_KEY = Pattern.compile(
            ".*(password|secret|token|jaas\\.config|user\\.info|credentials|api\\.key|private\\.key|keystore\\.key).*");
    private static final Pattern URL_USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s]*@");

    private Secrets() {
    }

    /** Whether {@code key}'s value is a secret (case-insensitive; {@code WEIR_*} spellings too). */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT).replace('_', '.');
        return SECRET_KEY.matcher(k).matches() && !k.endsWith(".source") && !k.endsWith(".location") && !k.endsWith(".type");
    }

    /** {@code value}, or {@value #HIDDEN} when {@code key} is a secret; a URL's credentials are hidden in any case. */
    public static String shown(String key, String value) {
        return isSecret(key) ? HIDDEN : withoutUserInfo(value);
    }

    /** Every URL in {@code text} without its {@code user:password@} part: {@code http://[hidden]@host:8081}. */
    public static String withoutUserInfo(String text) {
        return text == null ? null : URL_USER_INFO.matcher(text).replaceAll("$1" + HIDDEN + "@");
    }

    /** A copy of {@code settings} safe to print. */
    public static Map<String, String> redacted(Map<String, String> settings) {
        Map<String, String> out = new TreeMap<>();
        settings.forEach((k, v) -> out.put(k, shown(k, v)));
        return out;
    }
}
