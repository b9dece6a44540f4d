package io.jrkt.aci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CompressionTest {
  @ParameterizedTest
  @EnumSource(Compression.class)
  void detectsEachCodecByItsMagicAndDecompresses(Compression c) throws Exception {
    byte[] data = "some tar bytes, repeated; some tar bytes, repeated".getBytes(
        StandardCharsets.UTF_8);
    byte[] z = TestAci.compress(data, c);
    assertEquals(c, Compression.detect(z, Math.min(z.length, Compression.MAGIC_LENGTH)));
    try (InputStream in = c.decompress(new ByteArrayInputStream(z))) {
      assertArrayEquals(data, in.readAllBytes());
    }
  }

  @Test
  void shortOrUnknownHeadsAreUncompressed() {
    assertEquals(Compression.NONE, Compression.detect(new byte[] {0x1f}, 1));
    assertEquals(Compression.NONE, Compression.detect("manifest".getBytes(
        StandardCharsets.UTF_8), 6));
    assertEquals(Compression.NONE, Compression.detect(new byte[6], 0));
  }
}
