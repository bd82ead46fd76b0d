package dev.weir.topology;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretsTest {

    @Test
    void passwordsTokensJaasAndRegistryCredentialsAreSecretsAndTheirSourcesAndLocationsAreNot() {
        for (String key : new String[] {"sasl.jaas.config", "ssl.keystore.password", "ssl.key.password", "basic.auth.user.info",
                "bearer.auth.token", "schema.registry.ssl.truststore.password", "sasl.oauthbearer.client.credentials.client.secret",
                "ssl.keystore.key", "WEIR_SASL_JAAS_CONFIG"}) {
            assertTrue(Secrets.isSecret(key), key);
        }
        for (String key : new String[] {"bootstrap.servers", "security.protocol", "sasl.mechanism", "ssl.truststore.location",
                "basic.auth.credentials.source", "bearer.auth.credentials.source", "ssl.keystore.type", "weir.http.port"}) {
            assertFalse(Secrets.isSecret(key), key);
        }
    }

    @Test
    void aUrlLosesItsUserInfoWhereverItIsInAMessage() {
        assertEquals("cannot register at http://[hidden]@registry:8081/apis/ccompat/v7: refused",
                Secrets.withoutUserInfo("cannot register at http://alice:s3cret@registry:8081/apis/ccompat/v7: refused"));
        assertEquals("http://registry:8081", Secrets.withoutUserInfo("http://registry:8081"));
    }

    @Test
    void aConfigPrintsWithoutItsSecrets() {
        // given a configuration with a SASL login, registry credentials in the URL and a bearer token
        WeirConfig config = WeirConfig.of(Map.of("sasl.jaas.config", "PlainLoginModule required username=\"u\" password=\"pw-123\";",
                "schema.registry.url", "https://bob:reg-pw@r:8081", "bearer.auth.token", "tok-456", "security.protocol", "SASL_SSL"), Map.of());

        // when it is printed
        String shown = config.toString();

        // then no secret is in it, and the rest is
        assertFalse(shown.contains("pw-123") || shown.contains("reg-pw") || shown.contains("tok-456"), shown);
        assertTrue(shown.contains("sasl.jaas.config=[hidden]") && shown.contains("security.protocol=SASL_SSL")
                && shown.contains("https://[hidden]@r:8081"), shown);
    }
}
