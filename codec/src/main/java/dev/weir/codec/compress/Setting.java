package dev.weir.codec.compress;

/** A {@code mode:value} setting, as in {@code threshold:24} or {@code rate:900}. */
record Setting(String text, String mode, String value) {

    static Setting parse(String text) {
        int colon = text.indexOf(':');
        return colon < 0 ? new Setting(text, text.trim(), "")
                : new Setting(text, text.substring(0, colon).trim(), text.substring(colon + 1).trim());
    }

    double number() {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(text + ": '" + value + "' is not a number", e);
        }
    }
}
