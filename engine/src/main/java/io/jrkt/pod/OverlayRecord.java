package io.jrkt.pod;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The pod directory's {@code overlay-mounts} file: the overlays the overlay helper mounts before
 * it execs a stage1 entrypoint, the stage1's first. NUL-terminated fields: the header
 * {@code overlay-mounts 1}, then per mount its target and its complete option string. Written by
 * stage0 at prepare time; not rkt's (rkt mounted from stage0 itself), which reads the same
 * mounts from {@code stage1TreeStoreID} and {@code appsinfo/<app>/treeStoreID}.
 */
public final class OverlayRecord {
  public static final String FILE = "overlay-mounts";
  static final String HEADER = "overlay-mounts 1";

  private OverlayRecord() {}

  /** The record's bytes; {@code mounts} must not be empty. */
  public static byte[] encode(List<OverlayMount> mounts) {
    if (mounts.isEmpty()) {
      throw new IllegalArgumentException("an overlay record needs at least one mount");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(512 * mounts.size());
    field(out, HEADER);
    for (OverlayMount m : mounts) {
      field(out, m.target());
      field(out, m.options());
    }
    return out.toByteArray();
  }

  /** Target and options of each mount in a record, in order. */
  public static List<String[]> decode(byte[] record) {
    String text = new String(record, StandardCharsets.UTF_8);
    if (text.isEmpty() || text.charAt(text.length() - 1) != '\0') {
      throw new IllegalArgumentException("an overlay record ends with a NUL character");
    }
    String[] fields = text.substring(0, text.length() - 1).split("\0", -1);
    if (!fields[0].equals(HEADER) || fields.length % 2 != 1 || fields.length < 3) {
      throw new IllegalArgumentException("not an overlay record (header \"" + fields[0]
          + "\", " + (fields.length - 1) + " fields)");
    }
    List<String[]> mounts = new ArrayList<>();
    for (int i = 1; i < fields.length; i += 2) {
      mounts.add(new String[] {fields[i], fields[i + 1]});
    }
    return mounts;
  }

  private static void field(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b, 0, b.length);
    out.write(0);
  }
}
