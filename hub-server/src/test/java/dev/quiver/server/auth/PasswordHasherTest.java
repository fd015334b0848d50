package dev.quiver.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    static final PasswordHasher HASHER = new PasswordHasher();

    @Test
    void aHashVerifiesItsPasswordOnlyAndIsSaltedArgon2id() {
        String stored = HASHER.hash("correct horse battery");
        assertThat(stored).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(HASHER.verify("correct horse battery", stored)).isTrue();
        assertThat(HASHER.verify("correct horse batterY", stored)).isFalse();
        assertThat(HASHER.verify("", stored)).isFalse();
        assertThat(HASHER.hash("correct horse battery")).isNotEqualTo(stored);
    }

    @Test
    void hostileStoredValuesMatchNothingAndNeverThrow() {
        List<String> hostile = List.of("", "$", "$$$$$$", "plain", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
                "$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
                "$argon2id$v=19$m=19456,t=0,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
                "$argon2id$v=19$m=19456,t=2,p=1$!!!$aGFzaGhhc2hoYXNoaGFzaA",
                "$argon2id$v=19$m=19456,t=2,p=1,x=3$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
                "$argon2id$v=19$m=abc,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
                "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA");
        for (String s : hostile) {
            assertThat(HASHER.verify("whatever", s)).as(s).isFalse();
        }
    }

    @Test
    void weakPasswordsAreNamed() {
        assertThat(PasswordHasher.weakness("short")).isPresent();
        assertThat(PasswordHasher.weakness("x".repeat(2000))).isPresent();
        assertThat(PasswordHasher.weakness("long enough passphrase")).isEmpty();
    }
}
