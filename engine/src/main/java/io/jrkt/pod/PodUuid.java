package io.jrkt.pod;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.UUID;

/** A pod's id: a random (v4) UUID in canonical lowercase 8-4-4-4-12 form, as rkt wrote it. */
public record PodUuid(String value) implements Comparable<PodUuid> {
  private static final int LENGTH = 36;
  private static final String URANDOM = "/dev/urandom";

  public PodUuid {
    if (!isCanonical(value)) {
      throw new IllegalArgumentException("not a canonical lowercase UUID: \"" + value + "\"");
    }
  }

  /** Parses a full UUID (upper case accepted, stored lower case). */
  public static PodUuid parse(String text) throws PodException {
    String lower = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (!isCanonical(lower)) {
      throw new PodException("invalid pod UUID \"" + text + "\": want 8-4-4-4-12 hex digits");
    }
    return new PodUuid(lower);
  }

  /**
   * A new random (version 4) UUID. The bits come straight from the kernel's random source, as
   * rkt's did; {@link UUID#randomUUID()} would first set up the JDK's security providers, which
   * costs milliseconds of every {@code run}.
   */
  public static PodUuid random() {
    byte[] b = new byte[16];
    try (InputStream in = new FileInputStream(URANDOM)) {
      if (in.readNBytes(b, 0, b.length) != b.length) {
        return new PodUuid(UUID.randomUUID().toString());
      }
    } catch (IOException e) {
      return new PodUuid(UUID.randomUUID().toString());
    }
    b[6] = (byte) ((b[6] & 0x0f) | 0x40); // version 4
    b[8] = (byte) ((b[8] & 0x3f) | 0x80); // IETF variant
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (b[i] & 0xff);
      lsb = (lsb << 8) | (b[i + 8] & 0xff);
    }
    return new PodUuid(new UUID(msb, lsb).toString());
  }

  /** Whether {@code s} is a full UUID in the form used for pod directory names. */
  static boolean isCanonical(String s) {
    if (s == null || s.length() != LENGTH) {
      return false;
    }
    for (int i = 0; i < LENGTH; i++) {
      char c = s.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** The first 8 characters, as {@code rkt list} shows them. */
  public String shortForm() {
    return value.substring(0, 8);
  }

  @Override
  public int compareTo(PodUuid o) {
    return value.compareTo(o.value);
  }

  // equals and hashCode are written out: the generated ones are bootstrapped through method
  // handles on first use, which costs milliseconds of every CLI start.
  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof PodUuid && ((PodUuid) o).value.equals(value));
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
