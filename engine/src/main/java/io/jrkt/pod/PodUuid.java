package io.jrkt.pod;

import java.util.Locale;
import java.util.UUID;

/** A pod's id: a random (v4) UUID in canonical lowercase 8-4-4-4-12 form, as rkt wrote it. */
public record PodUuid(String value) implements Comparable<PodUuid> {
  private static final int LENGTH = 36;

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

  public static PodUuid random() {
    return new PodUuid(UUID.randomUUID().toString());
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

  @Override
  public String toString() {
    return value;
  }
}
