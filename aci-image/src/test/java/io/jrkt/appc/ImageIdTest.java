package io.jrkt.appc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

class ImageIdTest {
  // SHA-512("abc") from FIPS 180-2, appendix C.1.
  private static final String ABC_SHA512 = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee6"
      + "4b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";

  @Test
  void keepsHalfOfTheDigest() throws Exception {
    byte[] d = MessageDigest.getInstance("SHA-512").digest("abc".getBytes(StandardCharsets.UTF_8));
    ImageId id = ImageId.ofSha512(d);
    assertEquals("sha512-" + ABC_SHA512.substring(0, 64), id.value());
    assertEquals("sha512-ddaf35a193617abacc417349ae204131", id.shortForm());
    assertEquals(ABC_SHA512.substring(0, 64), id.hex());
  }

  @Test
  void parsesHalfAndFullForms() throws Exception {
    ImageId half = ImageId.parse("sha512-" + ABC_SHA512.substring(0, 64));
    assertEquals(half, ImageId.parse("sha512-" + ABC_SHA512));
    assertEquals(half, ImageId.parse("sha512-" + ABC_SHA512.toUpperCase()));
  }

  @Test
  void rejectsOtherForms() {
    AppcException e = assertThrows(AppcException.class, () -> ImageId.parse("sha512-abc"));
    assertEquals("\"sha512-abc\" is not an image id: sha512- must be followed by 64 or 128 hex"
        + " digits", e.getMessage());
    e = assertThrows(AppcException.class, () -> ImageId.parse(ABC_SHA512));
    assertEquals("\"" + ABC_SHA512 + "\" is not an image id: it must start with sha512- or"
        + " sha256-",
        e.getMessage());
    assertThrows(AppcException.class,
        () -> ImageId.parse("sha512-" + "g".repeat(64)));
    assertThrows(AppcException.class, () -> ImageId.parse("sha256-" + ABC_SHA512));
    assertThrows(AppcException.class, () -> ImageId.parse("sha256-abc"));
    assertThrows(IllegalArgumentException.class,
        () -> new ImageId("sha512-" + ABC_SHA512));
    assertThrows(IllegalArgumentException.class, () -> ImageId.ofSha512(new byte[32]));
  }

  @Test
  void acceptsOciManifestDigests() throws Exception {
    String hex = ABC_SHA512.substring(0, 64);
    ImageId id = ImageId.parse("sha256-" + hex.toUpperCase());
    assertEquals("sha256-" + hex, id.value());
    assertTrue(id.isOci());
    assertEquals("sha256", id.algorithm());
    assertEquals(hex, id.hex());
    assertEquals("sha256-" + hex.substring(0, 32), id.shortForm());
    assertFalse(ImageId.parse("sha512-" + hex).isOci());
    assertEquals("sha256-" + "00".repeat(32), ImageId.ofSha256(new byte[32]).value());
  }

  @Test
  void recognisesIdsOnTheCommandLine() {
    assertTrue(ImageId.looksLikeId("sha512-ab"));
    assertTrue(ImageId.looksLikeId("sha256-ab"));
    assertFalse(ImageId.looksLikeId("coreos.com/etcd"));
    assertFalse(ImageId.looksLikeId("docker://sha512"));
  }
}
