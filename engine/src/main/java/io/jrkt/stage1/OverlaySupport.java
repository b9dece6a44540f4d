package io.jrkt.stage1;

import io.jrkt.pod.PodOverlay;
import io.jrkt.sys.Native;
import io.jrkt.sys.NativeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether pods can get their root filesystems through overlayfs here, probed the way rkt did:
 * the kernel must know the {@code overlay} filesystem, and the pods directory (where the upper
 * and work layers go) must be on a filesystem that can be an overlay upper layer. Also the
 * overlay helper must be installed. When any of this fails, trees are copied (as with
 * {@code --no-overlay}) and the reason goes to {@code --debug}.
 */
public final class OverlaySupport {
  /** Filesystems known to work as overlay upper layers (statfs magic numbers). */
  private static final long[] UPPER_CAPABLE = {
    0xEF53L, // ext2, ext3, ext4
    0x58465342L, // xfs
    0x9123683EL, // btrfs
    0x01021994L, // tmpfs
    0xF2F52010L, // f2fs
  };
  private static final String[] UPPER_CAPABLE_NAMES = {"ext4", "xfs", "btrfs", "tmpfs", "f2fs"};

  private OverlaySupport() {}

  /** Empty when overlays can be used for pods under {@code podsDir}; else why not. */
  public static Optional<String> unavailableReason(Path podsDir) {
    if (PodOverlay.helper().isEmpty()) {
      return Optional.of("the overlay helper jrkt-overlay is not installed next to libjrkt.so");
    }
    if (!kernelHasOverlay(Path.of("/proc/filesystems"))) {
      return Optional.of("the kernel has no overlay filesystem (not in /proc/filesystems)");
    }
    long type;
    try {
      Native.load();
      type = Native.statfsType(podsDir.toString());
    } catch (NativeException e) {
      return Optional.of("cannot tell the filesystem of " + podsDir + ": " + e.getMessage());
    }
    return upperCapable(type) ? Optional.empty()
        : Optional.of(podsDir + " is on a filesystem (type 0x" + Long.toHexString(type)
            + ") that overlayfs cannot use as an upper layer; supported: "
            + String.join(", ", UPPER_CAPABLE_NAMES));
  }

  /** Whether a filesystem of this statfs type can hold an overlay's upper and work dirs. */
  static boolean upperCapable(long type) {
    for (long t : UPPER_CAPABLE) {
      if (t == type) {
        return true;
      }
    }
    return false;
  }

  /** Whether a /proc/filesystems listing has the overlay filesystem. */
  static boolean listsOverlay(String procFilesystems) {
    for (String line : procFilesystems.split("\n")) {
      String[] fields = line.trim().split("\\s+");
      if (fields[fields.length - 1].equals("overlay")) {
        return true;
      }
    }
    return false;
  }

  private static boolean kernelHasOverlay(Path procFilesystems) {
    try {
      return listsOverlay(new String(Files.readAllBytes(procFilesystems),
          StandardCharsets.UTF_8));
    } catch (IOException e) {
      return false;
    }
  }
}
