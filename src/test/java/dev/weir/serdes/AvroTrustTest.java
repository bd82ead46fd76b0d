package dev.weir.serdes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Avro 1.12 only lets {@code SpecificDatumReader} load classes named by {@code java-class} schema properties from
 * packages listed in {@code org.apache.avro.SERIALIZABLE_PACKAGES}, read once per JVM. The pom and {@code ./weir}
 * set it; this checks the serde also works in a JVM where nobody did (a user's application).
 */
class AvroTrustTest {

    @Test
    void everyWeirRecordRoundTripsInAJvmWithoutSerializablePackages() throws IOException, InterruptedException {
        // given a child JVM with this test's classpath but without -Dorg.apache.avro.SERIALIZABLE_PACKAGES
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = Path.of("target", "avro-trust-probe.log");
        Process probe = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                AvroTrustProbe.class.getName()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();

        // when it round-trips every Weir record, then it succeeds
        if (!probe.waitFor(120, TimeUnit.SECONDS)) {
            probe.destroyForcibly().waitFor();
        }
        assertEquals(0, probe.exitValue(), () -> "probe failed:\n" + read(log));
    }

    private static String read(Path log) {
        try {
            return java.nio.file.Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
