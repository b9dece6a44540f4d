package io.jrkt.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeTest {
  private static final int ENOENT = 2;
  private static final int ESRCH = 3;
  private static final int EBADF = 9;
  private static final int EACCES = 13;
  private static final int ENOEXEC = 8;
  private static final int ENOTDIR = 20;
  private static final int EINVAL = 22;
  private static final int EPERM = 1;

  @TempDir Path dir;

  private final List<Integer> openFds = new ArrayList<>();

  @BeforeAll
  static void loadLibrary() {
    Native.load();
  }

  @AfterEach
  void closeFds() {
    openFds.forEach(Native::close);
  }

  private int open(Path path) throws NativeException {
    int fd = Native.openDirectory(path.toString());
    openFds.add(fd);
    return fd;
  }

  @Test
  void exclusiveLockExcludesEveryOtherLockUntilReleased() throws NativeException {
    int holder = open(dir);
    int other = open(dir);
    assertTrue(Native.flock(holder, Native.LOCK_EX, false));
    assertFalse(Native.flock(other, Native.LOCK_SH, false));
    assertFalse(Native.flock(other, Native.LOCK_EX, false));

    assertTrue(Native.flock(holder, Native.LOCK_UN, false));
    assertTrue(Native.flock(other, Native.LOCK_EX, false));
  }

  @Test
  void sharedLocksCoexistButBlockAnExclusiveOne() throws NativeException {
    int first = open(dir);
    int second = open(dir);
    assertTrue(Native.flock(first, Native.LOCK_SH, false));
    assertTrue(Native.flock(second, Native.LOCK_SH, false));
    assertFalse(Native.flock(first, Native.LOCK_EX, false), "upgrade while another shares");

    Native.close(second);
    openFds.remove(Integer.valueOf(second));
    assertTrue(Native.flock(first, Native.LOCK_EX, false), "closing an fd releases its lock");
  }

  @Test
  void locksAreSeenByOtherProcesses() throws Exception {
    int fd = open(dir);
    assertTrue(Native.flock(fd, Native.LOCK_SH, false));
    assertEquals(0, runFlock("-n", "-s"), "a shared lock admits another shared one");
    assertEquals(1, runFlock("-n"), "a shared lock refuses an exclusive one");

    assertTrue(Native.flock(fd, Native.LOCK_EX, false));
    assertEquals(1, runFlock("-n", "-s"), "an exclusive lock refuses a shared one");

    assertTrue(Native.flock(fd, Native.LOCK_UN, false));
    assertEquals(0, runFlock("-n"));
  }

  @Test
  void blockingLockWaitsForAnotherProcessToRelease() throws Exception {
    Process holder = new ProcessBuilder("flock", "-x", dir.toString(), "cat")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      int fd = open(dir);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      boolean taken;
      while ((taken = Native.flock(fd, Native.LOCK_SH, false)) && System.nanoTime() < deadline) {
        Native.flock(fd, Native.LOCK_UN, false);
        Thread.sleep(10);
      }
      assertFalse(taken, "the child's exclusive lock should become visible");

      holder.getOutputStream().close(); // cat ends, flock(1) exits and its lock goes with it
      assertTrue(Native.flock(fd, Native.LOCK_EX, true));
      assertTrue(holder.waitFor(10, TimeUnit.SECONDS));
    } finally {
      holder.destroyForcibly();
    }
  }

  private int runFlock(String... options) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("flock"));
    command.addAll(List.of(options));
    command.add(dir.toString());
    command.add("true");
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertTrue(process.waitFor(10, TimeUnit.SECONDS));
    return process.exitValue();
  }

  @Test
  void flockOnABadFdNamesTheCallAndErrno() {
    NativeException e =
        assertThrows(NativeException.class, () -> Native.flock(1 << 20, Native.LOCK_SH, false));
    assertEquals(EBADF, e.errno());
    assertEquals("flock fd 1048576: Bad file descriptor", e.getMessage());
  }

  @Test
  void flockRejectsAnUnknownOperation() throws NativeException {
    int fd = open(dir);
    assertThrows(IllegalArgumentException.class, () -> Native.flock(fd, 3, false));
  }

  @Test
  void openDirectoryOfAMissingPathNamesThePath() {
    Path missing = dir.resolve("missing");
    NativeException e =
        assertThrows(NativeException.class, () -> Native.openDirectory(missing.toString()));
    assertEquals(ENOENT, e.errno());
    assertEquals("open " + missing + ": No such file or directory", e.getMessage());
  }

  @Test
  void openDirectoryOfAFileFails() throws IOException {
    Path file = Files.createFile(dir.resolve("file"));
    NativeException e =
        assertThrows(NativeException.class, () -> Native.openDirectory(file.toString()));
    assertEquals(ENOTDIR, e.errno());
  }

  @Test
  void killReportsWhetherTheProcessExists() throws Exception {
    assertEquals(0, Native.kill((int) ProcessHandle.current().pid(), 0));

    Process gone = new ProcessBuilder("true").start();
    assertEquals(0, gone.waitFor());
    assertEquals(ESRCH, Native.kill((int) gone.pid(), 0));
  }

  @Test
  void killDeliversTheSignal() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "30").start();
    try {
      assertEquals(0, Native.kill((int) sleeper.pid(), Native.SIGTERM));
      assertTrue(sleeper.waitFor(10, TimeUnit.SECONDS));
      assertEquals(128 + Native.SIGTERM, sleeper.exitValue());
    } finally {
      sleeper.destroyForcibly();
    }
  }

  @Test
  void geteuidMatchesIdU() throws Exception {
    Process id = new ProcessBuilder("id", "-u").start();
    String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
    assertEquals(0, id.waitFor());
    assertEquals(Integer.parseInt(uid), Native.geteuid());
  }

  @Test
  void umountOfANonMountPointNamesTheTarget() {
    NativeException e = assertThrows(NativeException.class,
        () -> Native.umount(dir.toString(), Native.MNT_DETACH));
    assertEquals(Native.geteuid() == 0 ? EINVAL : EPERM, e.errno());
    assertTrue(e.getMessage().startsWith("umount " + dir + ": "), e.getMessage());
  }

  @Test
  void execveRefusesAMissingProgramBeforeChangingAnything() throws Exception {
    Path cwdBefore = Files.readSymbolicLink(Path.of("/proc/self/cwd"));
    int kept = open(dir);
    NativeException e = assertThrows(NativeException.class, () -> Native.execve(
        "/nonexistent/program", new String[] {"program"}, new String[0], dir.toString(),
        new int[] {kept}));
    assertEquals(ENOENT, e.errno());
    assertEquals("execve /nonexistent/program: No such file or directory", e.getMessage());
    assertEquals(cwdBefore, Files.readSymbolicLink(Path.of("/proc/self/cwd")));
    assertTrue(Native.flock(kept, Native.LOCK_SH, false), "the kept fd is still open");
  }

  @Test
  void execveRefusesAProgramWithoutExecuteBits() throws Exception {
    Path program = Files.writeString(dir.resolve("script"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rw-r--r--"));
    NativeException e = assertThrows(NativeException.class, () -> Native.execve(
        program.toString(), new String[] {"script"}, new String[0], "/", new int[0]));
    assertEquals(EACCES, e.errno());
    assertTrue(e.getMessage().startsWith("execve " + program + ": "), e.getMessage());
  }

  @Test
  void execveRefusesAMissingCwd() {
    Path missing = dir.resolve("nowhere");
    NativeException e = assertThrows(NativeException.class, () -> Native.execve(
        "/bin/true", new String[] {"true"}, new String[0], missing.toString(), new int[0]));
    assertEquals(ENOENT, e.errno());
    assertEquals("chdir " + missing + ": No such file or directory", e.getMessage());
  }

  @Test
  void execveRefusesABadFdToKeep() {
    NativeException e = assertThrows(NativeException.class, () -> Native.execve(
        "/bin/true", new String[] {"true"}, new String[0], "/", new int[] {1 << 20}));
    assertEquals(EBADF, e.errno());
    assertTrue(e.getMessage().contains("keep fd 1048576"), e.getMessage());
  }

  @Test
  void execveRejectsNullArguments() {
    assertThrows(IllegalArgumentException.class, () -> Native.execve(
        "/bin/true", new String[] {"true", null}, new String[0], "/", new int[0]));
    assertThrows(IllegalArgumentException.class, () -> Native.execve(
        "/bin/true", null, new String[0], "/", new int[0]));
  }

  @Test
  void aFailedExecveLeavesTheJvmWorking() throws Exception {
    // Passes every check but the kernel's: not a known executable format.
    Path program = Files.writeString(dir.resolve("garbage"), "\u0001\u0002 not a program\n");
    Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path cwdBefore = Files.readSymbolicLink(Path.of("/proc/self/cwd"));
    int kept = open(dir);

    NativeException e = assertThrows(NativeException.class, () -> Native.execve(
        program.toString(), new String[] {"garbage"}, new String[0], dir.toString(),
        new int[] {kept}));
    assertEquals(ENOEXEC, e.errno());
    assertEquals("execve " + program + ": Exec format error", e.getMessage());
    assertEquals(cwdBefore, Files.readSymbolicLink(Path.of("/proc/self/cwd")));
    assertTrue(Native.flock(kept, Native.LOCK_EX, false));
    Process child = new ProcessBuilder("true").start();
    assertEquals(0, child.waitFor(), "the JVM can still start processes");
  }

  @Test
  void execveReplacesTheProcessKeepingOnlyTheKeptFds() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    // The JVM starts with fd 7 open without FD_CLOEXEC, SIGHUP ignored and SIGUSR1 blocked: the
    // exec must undo all three.
    List<String> command = List.of("/bin/sh", "-c",
        "exec 7</dev/null; exec env --ignore-signal=HUP --block-signal=USR1 \"$@\"", "sh",
        java.toString(), "-cp", System.getProperty("java.class.path"),
        "-Djrkt.native.lib=" + System.getProperty("jrkt.native.lib"),
        NativeExecveProbe.class.getName(), dir.toString());
    Process probe = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(probe.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, probe.exitValue(), out);

    List<String> lines = out.lines().toList();
    String[] first = lines.get(0).split(" ");
    assertEquals("kept", first[0], out);
    String kept = first[1];
    assertEquals("X=from-probe", lines.get(1), "only the given environment");
    assertEquals("pid=" + probe.pid(), lines.get(2), "the same process, replaced");
    assertEquals("cwd=" + dir.toRealPath(), lines.get(3));
    assertEquals("SigBlk:\t0000000000000000", lines.get(4), "no signal blocked");
    assertEquals("SigIgn:\t0000000000000000", lines.get(5), "no signal ignored");
    assertEquals("fds", lines.get(6));
    List<Integer> fds = lines.subList(7, lines.size()).stream().map(Integer::valueOf).sorted()
        .toList();
    assertEquals(List.of(0, 1, 2, Integer.valueOf(kept)), fds, out);
  }
}
