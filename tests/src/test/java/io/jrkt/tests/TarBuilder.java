package io.jrkt.tests;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a ustar archive entry by entry, with no checks on names or link targets: the
 * functional tests need archives that a careful writer would refuse to make.
 */
final class TarBuilder {
  private static final int BLOCK = 512;
  private static final char FILE = '0';
  private static final char HARD_LINK = '1';
  private static final char SYMLINK = '2';
  private static final char CHAR_DEVICE = '3';
  private static final char BLOCK_DEVICE = '4';
  private static final char DIRECTORY = '5';

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private boolean finished;

  TarBuilder directory(String name) {
    return directory(name, 0755);
  }

  TarBuilder directory(String name, int mode) {
    return entry(name.endsWith("/") ? name : name + "/", DIRECTORY, mode, new byte[0], "", 0, 0);
  }

  TarBuilder file(String name, byte[] content, int mode) {
    return entry(name, FILE, mode, content, "", 0, 0);
  }

  TarBuilder file(String name, String content) {
    return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
  }

  TarBuilder symlink(String name, String target) {
    return entry(name, SYMLINK, 0777, new byte[0], target, 0, 0);
  }

  TarBuilder hardLink(String name, String target) {
    return entry(name, HARD_LINK, 0644, new byte[0], target, 0, 0);
  }

  TarBuilder charDevice(String name, int major, int minor) {
    return entry(name, CHAR_DEVICE, 0666, new byte[0], "", major, minor);
  }

  TarBuilder blockDevice(String name, int major, int minor) {
    return entry(name, BLOCK_DEVICE, 0660, new byte[0], "", major, minor);
  }

  /** The archive with its two terminating zero blocks. */
  byte[] finish() {
    if (!finished) {
      out.writeBytes(new byte[2 * BLOCK]);
      finished = true;
    }
    return out.toByteArray();
  }

  private TarBuilder entry(String name, char type, int mode, byte[] content, String link,
      int major, int minor) {
    if (finished) {
      throw new IllegalStateException("archive already finished");
    }
    byte[] header = new byte[BLOCK];
    String prefix = "";
    if (utf8(name).length > 100) {
      int cut = name.lastIndexOf('/', 154);
      if (cut <= 0 || utf8(name.substring(cut + 1)).length > 100) {
        throw new IllegalArgumentException("tar name too long for ustar: " + name);
      }
      prefix = name.substring(0, cut);
      name = name.substring(cut + 1);
    }
    put(header, 0, 100, utf8(name));
    octal(header, 100, 8, mode);
    octal(header, 108, 8, 0);
    octal(header, 116, 8, 0);
    octal(header, 124, 12, content.length);
    octal(header, 136, 12, 0);
    header[156] = (byte) type;
    put(header, 157, 100, utf8(link));
    put(header, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
    put(header, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
    put(header, 265, 32, utf8("root"));
    put(header, 297, 32, utf8("root"));
    octal(header, 329, 8, major);
    octal(header, 337, 8, minor);
    put(header, 345, 155, utf8(prefix));
    for (int i = 148; i < 156; i++) {
      header[i] = ' ';
    }
    long sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    byte[] check = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(check, 0, header, 148, 8);
    out.writeBytes(header);
    out.writeBytes(content);
    int pad = (BLOCK - content.length % BLOCK) % BLOCK;
    out.writeBytes(new byte[pad]);
    return this;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void put(byte[] header, int offset, int length, byte[] value) {
    if (value.length > length) {
      throw new IllegalArgumentException("tar field too long: " + new String(value,
          StandardCharsets.UTF_8));
    }
    System.arraycopy(value, 0, header, offset, value.length);
  }

  private static void octal(byte[] header, int offset, int length, long value) {
    String digits = Long.toOctalString(value);
    String padded = "0".repeat(length - 1 - digits.length()) + digits;
    put(header, offset, length, (padded + "\0").getBytes(StandardCharsets.US_ASCII));
  }
}
