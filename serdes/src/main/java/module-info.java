/** The Confluent wire-format Avro serde and schema-registry client; see docs/serdes.md. */
module dev.weir.serdes {
    requires transitive org.apache.avro;
    requires transitive kafka.clients;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;
    requires org.slf4j;

    exports dev.weir.serdes;
}
