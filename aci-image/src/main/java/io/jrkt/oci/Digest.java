package io.jrkt.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Objects;

/**
 * A content digest as OCI and Docker write it, {@code sha256:<64 hex>}. Only SHA-256 is
 * accepted: it is what every registry and tool produces, and the store keys content by it.
 */
public final class Digest {
  public static final String ALGORITHM = "sha256";
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private final String hex;

  private Digest(String hex) {
    this.hex = hex;
  }

  /** Parses {@code sha256:<64 hex>}. */
  public static Digest parse(String s) throws OciFormatException {
    if (s == null) {
      throw new OciFormatException("missing digest");
    }
    int colon = s.indexOf(':');
    if (colon < 0) {
      throw new OciFormatException("digest \"" + s + "\" has no algorithm (sha256:<hex>)");
    }
    String algorithm = s.substring(0, colon);
    if (!algorithm.equals(ALGORITHM)) {
      throw new OciFormatException("digest \"" + s + "\": unsupported algorithm \"" + algorithm
          + "\" (only sha256)");
    }
    String hex = s.substring(colon + 1);
    if (hex.length() != 64 || !isLowerHex(hex)) {
      throw new OciFormatException("digest \"" + s + "\": sha256 needs 64 lowercase hex digits");
    }
    return new Digest(hex);
  }

  /** The digest of {@code hash}, a finished SHA-256. */
  public static Digest of(byte[] hash) {
    if (hash.length != 32) {
      throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, got " + hash.length);
    }
    StringBuilder sb = new StringBuilder(64);
    for (byte b : hash) {
      sb.append(DIGITS[(b >> 4) & 0xf]).append(DIGITS[b & 0xf]);
    }
    return new Digest(sb.toString());
  }

  /** The SHA-256 digest of {@code data}. */
  public static Digest ofBytes(byte[] data) {
    return of(sha256().digest(data));
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }

  static boolean isLowerHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  public String hex() {
    return hex;
  }

  /** The store's key for this content, {@code sha256-<hex>} (also the id of an image manifest). */
  public String key() {
    return ALGORITHM + "-" + hex;
  }

  /** Whether {@code s} names this digest in either form ({@code sha256:} or {@code sha256-}). */
  public boolean matches(String s) {
    String l = s.toLowerCase(Locale.ROOT);
    return l.equals(toString()) || l.equals(key());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Digest && ((Digest) o).hex.equals(hex);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(hex);
  }

  @Override
  public String toString() {
    return ALGORITHM + ":" + hex;
  }
}
