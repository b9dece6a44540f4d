package io.jrkt.net;

import io.jrkt.sys.Native;
import io.jrkt.sys.NativeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A pod's network namespace, kept alive by a bind mount at {@code /run/netns/jrkt-<uuid>} (the
 * place and form of {@code ip netns}). The JVM cannot unshare itself, so util-linux
 * {@code unshare --net=PATH} creates it; removal is an unmount and unlink of exactly the
 * recorded path.
 */
public final class Netns {
  public static final Path DIR = Path.of("/run/netns");
  private static final int EINVAL = 22;
  private static final int ENOENT = 2;

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
    // One process: unshare binds the new netns to the file, then ip brings loopback up in it.
    run(List.of("unshare", "--net=" + path, "ip", "link", "set", "lo", "up"),
        "create network namespace " + path);
  }

  /** Whether something (the netns) is mounted at {@code path}, from the mount table. */
  public static boolean isMounted(Path path) throws NetException {
    String wanted = path.toString();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        String[] f = line.split(" ", 6);
        if (f.length > 4 && io.jrkt.aci.FileTrees.unescapeMountPath(f[4]).equals(wanted)) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new NetException("cannot read the mount table: " + e, e);
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

  private static void run(List<String> argv, String what) throws NetException {
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.redirectErrorStream(true);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      int status = p.waitFor();
      if (status != 0) {
        throw new NetException("cannot " + what + ": " + String.join(" ", argv) + ": "
            + new String(out, java.nio.charset.StandardCharsets.UTF_8).trim());
      }
    } catch (IOException e) {
      throw new NetException("cannot " + what + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NetException("interrupted: " + what, e);
    }
  }
}
