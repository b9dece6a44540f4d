package io.jrkt.net;

import io.jrkt.sys.Native;
import io.jrkt.sys.NativeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A pod's network namespace, kept alive by a bind mount at {@code /run/netns/jrkt-<uuid>} (the
 * place and form of {@code ip netns}). It is made in-process, without a process start: one
 * thread unshares its own network namespace, brings the loopback up, binds the namespace to the
 * file and returns to the host's (libjrkt); removal is an unmount and unlink of exactly the
 * recorded path.
 */
public final class Netns {
  public static final Path DIR = Path.of("/run/netns");
  private static final int EINVAL = 22;
  private static final int ENOENT = 2;
  private static final long NSFS_MAGIC = 0x6e736673L;

  private Netns() {}

  /** The path a pod's netns gets. */
  public static Path pathFor(String podUuid) {
    return DIR.resolve("jrkt-" + podUuid);
  }

  /** Whether a path is one this class hands out (gc removes nothing else). */
  public static boolean isOurs(Path p) {
    return p.getParent() != null && p.getParent().equals(DIR)
        && p.getFileName().toString().startsWith("jrkt-");
  }

  /** Creates the netns at {@code path} (one of {@link #pathFor}) with its loopback up. */
  public static void create(Path path) throws NetException {
    try {
      Files.createDirectories(path.getParent());
      if (!Files.exists(path)) {
        Files.createFile(path);
      }
    } catch (IOException e) {
      throw new NetException("cannot create network namespace file " + path + ": " + e, e);
    }
    Native.load();
    try {
      Native.createNetns(path.getParent().toString(), path.toString());
    } catch (NativeException e) {
      throw new NetException("cannot create network namespace " + path + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Whether a network namespace is mounted at {@code path}: its filesystem is nsfs (one statfs,
   * where the mount table would have to be read whole).
   */
  public static boolean isMounted(Path path) throws NetException {
    Native.load();
    try {
      return Native.statfsType(path.toString()) == NSFS_MAGIC;
    } catch (NativeException e) {
      if (e.errno() == ENOENT) {
        return false;
      }
      throw new NetException("cannot tell whether network namespace " + path + " is mounted: "
          + e.getMessage(), e);
    }
  }

  /** Unmounts and removes the netns file; a path that is gone or not mounted is fine. */
  public static void remove(Path path) throws NetException {
    if (!isOurs(path)) {
      throw new NetException("refusing to remove network namespace " + path
          + ": not a jrkt pod's (" + DIR + "/jrkt-<uuid>)");
    }
    Native.load();
    try {
      Native.umount(path.toString(), Native.MNT_DETACH);
    } catch (NativeException e) {
      if (e.errno() != EINVAL && e.errno() != ENOENT) {
        throw new NetException("cannot unmount network namespace " + path + ": "
            + e.getMessage(), e);
      }
    }
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new NetException("cannot remove network namespace file " + path + ": " + e, e);
    }
  }
}
