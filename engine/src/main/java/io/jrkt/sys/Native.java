package io.jrkt.sys;

/**
 * The few system calls the JDK does not offer, through the engine's JNI library (libjrkt.so).
 *
 * <p>rkt's pod states are flock(2) locks on pod directories, and stage0 hands the pod over to
 * the stage1 with execve(2), keeping the locked directory fd open. Neither is reachable from the
 * JDK. Namespace work is not done here: the JVM is multi-threaded, so that belongs to helper
 * processes (the stage1 entrypoints).
 *
 * <p>Failures throw {@link NativeException} carrying the call, the path and errno.
 */
public final class Native {
  public static final int LOCK_SH = 1;
  public static final int LOCK_EX = 2;
  public static final int LOCK_UN = 8;

  public static final int MNT_DETACH = 2;

  public static final int SIGKILL = 9;
  public static final int SIGTERM = 15;

  private static volatile boolean loaded;

  private Native() {}

  /** Loads the library named by the {@code jrkt.native.lib} system property, once. */
  public static void load() {
    if (loaded) {
      return;
    }
    synchronized (Native.class) {
      if (!loaded) {
        String lib = System.getProperty("jrkt.native.lib");
        if (lib == null) {
          throw new IllegalStateException("system property jrkt.native.lib is not set");
        }
        System.load(lib);
        loaded = true;
      }
    }
  }

  /** open(path, O_RDONLY|O_DIRECTORY|O_CLOEXEC); returns the fd. */
  public static native int openDirectory(String path) throws NativeException;

  /**
   * flock(fd, op), op = LOCK_SH, LOCK_EX or LOCK_UN. Non-blocking when {@code wait} is false.
   *
   * @return true if the lock was taken, false if it would block (EWOULDBLOCK)
   */
  public static native boolean flock(int fd, int op, boolean wait) throws NativeException;

  public static native void close(int fd);

  /**
   * Replaces this process with {@code path}. Before the exec it resets signal dispositions and the
   * signal mask, closes every fd above 2 except {@code keepFds} (whose FD_CLOEXEC it clears) and
   * changes to {@code cwd}. Returns only by throwing.
   *
   * <p>A missing or non-executable program, a bad {@code cwd} or a bad fd in {@code keepFds} is
   * reported before anything changes. The other fds are closed by marking them close-on-exec, so
   * should execve itself fail the JVM keeps working (those fds stay close-on-exec).
   */
  public static native void execve(String path, String[] argv, String[] envp, String cwd,
      int[] keepFds) throws NativeException;

  /** umount2(target, flags). */
  public static native void umount(String target, int flags) throws NativeException;

  /**
   * Creates a network namespace with its loopback up and bind-mounts it on {@code path}, an
   * existing file in {@code dir}; {@code dir} becomes a shared mount point (as with
   * {@code ip netns add}). Only the calling thread enters the new namespace, and it is back in
   * its own before this returns.
   */
  public static native void createNetns(String dir, String path) throws NativeException;

  /** kill(pid, sig); returns 0 or the errno (ESRCH = 3 when the process is gone). */
  public static native int kill(int pid, int sig);

  public static native int geteuid();

  /** statfs(path).f_type: the filesystem's magic number (e.g. 0xEF53 for ext2/3/4). */
  public static native long statfsType(String path) throws NativeException;
}
