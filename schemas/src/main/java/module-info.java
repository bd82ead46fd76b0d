/** The Avro classes generated from {@code schemas/*.avsc}: every event Weir reads and writes. */
module dev.weir.schemas {
    requires transitive org.apache.avro;

    exports dev.weir.avro;
}
