/**
 * The inspector (docs/inspector.md): a read-only web page that shows, per stream, what the compressor kept, read
 * from Weir's own output topics with a {@code read_committed} consumer. {@code dev.weir.inspector} is the small
 * public side ({@code Inspector}, {@code InspectorSettings}); {@code dev.weir.inspector.internals} is not
 * exported (it is opened to Jackson only, which writes its JSON views).
 */
module dev.weir.inspector {
    requires transitive dev.weir.topology;
    requires kafka.clients;
    requires com.fasterxml.jackson.databind;
    requires java.desktop;
    requires org.slf4j;

    exports dev.weir.inspector;
    opens dev.weir.inspector.internals to com.fasterxml.jackson.databind;
}
