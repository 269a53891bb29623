package org.dplstm.privacy.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class AesCtrRandomBitsTest {

    private static final byte[] KEY = HexFormat.of().parseHex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    /** The reference: the AES block function applied to each counter block nonce || i on its own. */
    private static byte[] referenceKeystream(byte[] key, long nonce, int blocks) throws Exception {
        Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        ByteBuffer counters = ByteBuffer.allocate(16 * blocks).order(ByteOrder.BIG_ENDIAN);
        for (long i = 0; i < blocks; i++) {
            counters.putLong(nonce).putLong(i);
        }
        return aes.doFinal(counters.array());
    }

    @Test
    void referenceBlockFunctionIsAes256OfFips197() throws Exception {
        // FIPS-197 appendix C.3: AES-256 of 00112233…ff under the key 00…1f
        Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"));
        byte[] block = aes.doFinal(HexFormat.of().parseHex("00112233445566778899aabbccddeeff"));
        assertThat(HexFormat.of().formatHex(block)).isEqualTo("8ea2b7ca516745bfeafc49904b496089");
    }

    @Test
    void keystreamIsAesOfEachCounterBlockAcrossRefills() throws Exception {
        long nonce = 0x0123456789abcdefL;
        int blocks = 3 * 4096 + 5; // 48 refills of 4 KiB and part of a 49th
        byte[] expected = referenceKeystream(KEY, nonce, blocks);
        AesCtrRandomBits bits = AesCtrRandomBits.withKeyForTesting(KEY, nonce);
        ByteBuffer reference = ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN);
        for (int word = 0; word < expected.length / Long.BYTES; word++) {
            long actual = bits.nextLong();
            long wanted = reference.getLong();
            if (actual != wanted) {
                throw new AssertionError("word " + word + ": " + Long.toHexString(actual) + " != " + Long.toHexString(wanted));
            }
        }
    }

    @Test
    void differentNoncesGiveDifferentStreams() {
        AesCtrRandomBits a = AesCtrRandomBits.withKeyForTesting(KEY, 1);
        AesCtrRandomBits b = AesCtrRandomBits.withKeyForTesting(KEY, 2);
        assertThat(a.nextLong()).isNotEqualTo(b.nextLong());
    }

    @Test
    void uniformsStayInTheirIntervals() {
        AesCtrRandomBits bits = AesCtrRandomBits.seededForTesting(5);
        for (int i = 0; i < 100_000; i++) {
            assertThat(bits.nextDouble()).isGreaterThanOrEqualTo(0).isLessThan(1);
            assertThat(bits.nextDoubleOpenAtZero()).isGreaterThan(0).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void rejectsKeysThatAreNotAes256() {
        assertThatThrownBy(() -> AesCtrRandomBits.withKeyForTesting(new byte[16], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("AES-256 key must be 32 bytes, was 16");
    }
}
