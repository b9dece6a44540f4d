package io.jrkt.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jrkt.sys.Native;
import io.jrkt.sys.NativeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The in-process netns: made by one thread of the JVM, which then returns to its own. Root. */
class NetnsTest {
  private Path netns;

  @BeforeEach
  void setUp() {
    Native.load();
    assumeTrue(Native.geteuid() == 0, "needs root");
    netns = Netns.pathFor(UUID.randomUUID().toString());
  }

  @AfterEach
  void cleanUp() throws NetException {
    if (netns != null) {
      Netns.remove(netns);
    }
  }

  private static String threadNetns() throws IOException {
    return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
  }

  private static String run(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  @Test
  void createsAMountedNetnsWithLoopbackUpAndStaysInItsOwn() throws Exception {
    String before = threadNetns();
    Netns.create(netns);
    assertEquals(before, threadNetns(), "the thread is back in its own netns");
    assertEquals(before, Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString());
    assertTrue(Netns.isMounted(netns));
    String lo = run("ip", "-n", netns.getFileName().toString(), "-o", "link", "show", "lo");
    assertTrue(lo.contains("<LOOPBACK,UP"), lo);
    String ns = run("nsenter", "--net=" + netns, "readlink", "/proc/self/ns/net").trim();
    assertNotEquals(before, ns, "a namespace of its own");
    // As with `ip netns add`: removal here also reaches copies in later mount namespaces.
    String mountinfo = Files.readString(Path.of("/proc/self/mountinfo"));
    assertTrue(mountinfo.lines().anyMatch(l -> l.split(" ")[4].equals(Netns.DIR.toString())
        && l.contains(" shared:")), "the netns directory is a shared mount point");

    Netns.remove(netns);
    assertFalse(Netns.isMounted(netns));
    assertFalse(Files.exists(netns));
  }

  @Test
  void aFailureLeavesTheThreadInItsOwnNetnsAndNothingMounted() throws Exception {
    String before = threadNetns();
    // No file to bind the namespace to: the mount fails after the unshare.
    NativeException e = assertThrows(NativeException.class,
        () -> Native.createNetns(Netns.DIR.toString(), netns.toString()));
    assertTrue(e.getMessage().contains("bind-mount network namespace " + netns),
        e.getMessage());
    assertEquals(before, threadNetns());
    assertFalse(Netns.isMounted(netns));
  }

  @Test
  void anUnmountedOrMissingFileIsNotMounted() throws Exception {
    assertFalse(Netns.isMounted(netns));
    Files.createDirectories(netns.getParent());
    Files.createFile(netns);
    assertFalse(Netns.isMounted(netns));
  }
}
