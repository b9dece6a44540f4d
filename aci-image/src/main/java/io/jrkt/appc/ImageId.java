package io.jrkt.appc;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An image id in the form the store keys images by: {@code sha512-} followed by the first 64
 * lowercase hex digits (half) of the SHA-512 of the uncompressed ACI.
 */
public record ImageId(String value) {
  public static final String PREFIX = "sha512-";
  private static final Pattern CANONICAL = Pattern.compile("^sha512-[0-9a-f]{64}$");
  private static final Pattern HEX = Pattern.compile("^[0-9a-fA-F]+$");
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  public ImageId {
    Objects.requireNonNull(value, "value");
    if (!CANONICAL.matcher(value).matches()) {
      throw new IllegalArgumentException(Names.quote(value)
          + " is not an image id (sha512- followed by 64 lowercase hex digits)");
    }
  }

  /** Accepts {@code sha512-} with 64 hex digits or the full 128 (cut to 64), any hex case. */
  public static ImageId parse(String s) throws AppcException {
    if (s == null || !s.startsWith(PREFIX)) {
      throw new AppcException(Names.quote(s) + " is not an image id: it must start with sha512-");
    }
    String hex = s.substring(PREFIX.length());
    if (!HEX.matcher(hex).matches() || (hex.length() != 64 && hex.length() != 128)) {
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

  /** {@code sha512-} and the first 32 hex digits, as {@code fetch} prints it. */
  public String shortForm() {
    return value.substring(0, PREFIX.length() + 32);
  }

  /** The hex digits without the {@code sha512-} prefix. */
  public String hex() {
    return value.substring(PREFIX.length());
  }

  /** Whether a CLI argument is meant as an image id (or id prefix) rather than an image name. */
  public static boolean looksLikeId(String s) {
    return s != null && (s.startsWith("sha512-") || s.startsWith("sha256-"));
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
