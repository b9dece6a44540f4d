package io.jrkt.appc;

import java.util.Locale;
import java.util.Objects;

/**
 * An image id in the form the store keys images by: {@code sha512-} followed by the first 64
 * lowercase hex digits (half) of the SHA-512 of the uncompressed ACI, or, for an OCI or Docker
 * image, {@code sha256-} followed by the 64 hex digits of the SHA-256 of its manifest.
 */
public record ImageId(String value) {
  /** The prefix of ACI ids. */
  public static final String PREFIX = "sha512-";
  /** The prefix of OCI image ids: the manifest digest with {@code -} for {@code :}. */
  public static final String SHA256_PREFIX = "sha256-";
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  public ImageId {
    Objects.requireNonNull(value, "value");
    if (!isCanonical(value)) {
      throw new IllegalArgumentException(Names.quote(value) + " is not an image id (sha512- or"
          + " sha256- followed by 64 lowercase hex digits)");
    }
  }

  /** Whether {@code s} is a canonical id: {@code sha512-} or {@code sha256-} and 64 lowercase hex. */
  public static boolean isCanonical(String s) {
    if (s.length() != PREFIX.length() + 64
        || !(s.startsWith(PREFIX) || s.startsWith(SHA256_PREFIX))) {
      return false;
    }
    for (int i = PREFIX.length(); i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Accepts {@code sha512-} with 64 hex digits or the full 128 (cut to 64), or {@code sha256-}
   * with 64, any hex case.
   */
  public static ImageId parse(String s) throws AppcException {
    if (s == null || !(s.startsWith(PREFIX) || s.startsWith(SHA256_PREFIX))) {
      throw new AppcException(Names.quote(s)
          + " is not an image id: it must start with sha512- or sha256-");
    }
    String hex = s.substring(PREFIX.length());
    boolean hexOk = !hex.isEmpty();
    for (int i = 0; i < hex.length() && hexOk; i++) {
      hexOk = Character.digit(hex.charAt(i), 16) >= 0;
    }
    if (s.startsWith(SHA256_PREFIX)) {
      if (!hexOk || hex.length() != 64) {
        throw new AppcException(Names.quote(s)
            + " is not an image id: sha256- must be followed by 64 hex digits");
      }
      return new ImageId(SHA256_PREFIX + hex.toLowerCase(Locale.ROOT));
    }
    if (!hexOk || (hex.length() != 64 && hex.length() != 128)) {
      throw new AppcException(Names.quote(s)
          + " is not an image id: sha512- must be followed by 64 or 128 hex digits");
    }
    return new ImageId(PREFIX + hex.substring(0, 64).toLowerCase(Locale.ROOT));
  }

  /** The id of an image whose (64-byte) SHA-512 digest is given. */
  public static ImageId ofSha512(byte[] digest) {
    if (digest.length != 64) {
      throw new IllegalArgumentException(
          "a SHA-512 digest has 64 bytes, got " + digest.length);
    }
    StringBuilder sb = new StringBuilder(PREFIX.length() + 64).append(PREFIX);
    for (int i = 0; i < 32; i++) {
      sb.append(DIGITS[(digest[i] >> 4) & 0xf]).append(DIGITS[digest[i] & 0xf]);
    }
    return new ImageId(sb.toString());
  }

  /** The id of an OCI image whose manifest has this (32-byte) SHA-256 digest. */
  public static ImageId ofSha256(byte[] digest) {
    if (digest.length != 32) {
      throw new IllegalArgumentException(
          "a SHA-256 digest has 32 bytes, got " + digest.length);
    }
    StringBuilder sb = new StringBuilder(SHA256_PREFIX.length() + 64).append(SHA256_PREFIX);
    for (byte b : digest) {
      sb.append(DIGITS[(b >> 4) & 0xf]).append(DIGITS[b & 0xf]);
    }
    return new ImageId(sb.toString());
  }

  /** {@code sha512-} and all 128 hex digits of {@code digest}: the form an id keeps half of. */
  public static String fullForm(byte[] digest) {
    if (digest.length != 64) {
      throw new IllegalArgumentException(
          "a SHA-512 digest has 64 bytes, got " + digest.length);
    }
    StringBuilder sb = new StringBuilder(PREFIX.length() + 128).append(PREFIX);
    for (byte b : digest) {
      sb.append(DIGITS[(b >> 4) & 0xf]).append(DIGITS[b & 0xf]);
    }
    return sb.toString();
  }

  /** Whether this is the id of an OCI (or Docker) image: {@code sha256-} of its manifest. */
  public boolean isOci() {
    return value.startsWith(SHA256_PREFIX);
  }

  /** The hash algorithm: {@code sha512} or {@code sha256}. */
  public String algorithm() {
    return value.substring(0, PREFIX.length() - 1);
  }

  /** The algorithm and the first 32 hex digits, as {@code fetch} prints it. */
  public String shortForm() {
    return value.substring(0, PREFIX.length() + 32);
  }

  /** The hex digits without the algorithm prefix. */
  public String hex() {
    return value.substring(PREFIX.length());
  }

  /** Whether a CLI argument is meant as an image id (or id prefix) rather than an image name. */
  public static boolean looksLikeId(String s) {
    return s != null && (s.startsWith(PREFIX) || s.startsWith(SHA256_PREFIX));
  }

  // equals and hashCode are written out: the generated ones are bootstrapped through method
  // handles on first use, which costs milliseconds of every CLI start.
  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof ImageId && ((ImageId) o).value.equals(value));
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }
}
