package io.jrkt.tests;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the tests that need systemd, D-Bus and journald: one private {@link TestNode} per
 * test class, and a harness whose every jrkt command runs on that node. The harness's files
 * live under the module's build directory: the node has a /tmp of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class NodeTest {
  TestNode node;
  Jrkt jrkt;

  @BeforeAll
  void bootNode() {
    Path parent = Path.of("target", "test-nodes").toAbsolutePath();
    for (String hidden : List.of("/tmp/", "/var/", "/run/", "/dev/")) {
      if (parent.toString().startsWith(hidden)) {
        throw new IllegalStateException("cannot boot a test node for " + parent + ": the node"
            + " mounts its own " + hidden + " over the host's; run the tests from a checkout"
            + " outside " + hidden);
      }
    }
    node = TestNode.boot(parent, withMachined());
    try {
      jrkt = Jrkt.create(getClass(), parent, node.prefix());
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  /** Whether the node has systemd-machined (started on demand over D-Bus). */
  boolean withMachined() {
    return true;
  }

  @AfterAll
  void shutDownNode() {
    try {
      if (jrkt != null) {
        jrkt.close();
      }
    } finally {
      if (node != null) {
        node.close();
      }
    }
  }

  /** {@code status} of a pod as key/value pairs. */
  Map<String, String> status(String uuid) {
    Result r = jrkt.run("status", uuid).ok();
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (String line : r.lines()) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        m.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return m;
  }

  /** {@code run --unit} of an image with the given stage1 flag; returns [uuid, unit]. */
  List<String> runUnit(String stage1, List<String> flags, Path aci) {
    List<String> cmd = new ArrayList<>(List.of(Jrkt.INSECURE, "run", "--unit", stage1));
    cmd.addAll(flags);
    cmd.add(aci.toString());
    Result r = jrkt.run(cmd).ok();
    if (r.lines().size() != 2 || !Ids.isUuid(r.lines().get(0))) {
      throw new AssertionError("run --unit should print the UUID and the unit name:\n" + r);
    }
    return r.lines();
  }

  /** Waits until {@code status} says the pod exited. */
  Map<String, String> awaitExited(String uuid) {
    jrkt.run("status", "--wait=60s", uuid).ok();
    return status(uuid);
  }

  /** journalctl on the node. */
  Result journal(String... args) {
    List<String> cmd = new ArrayList<>(List.of("journalctl", "--no-pager", "-o", "cat"));
    cmd.addAll(List.of(args));
    return node.exec(cmd.toArray(new String[0]));
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
