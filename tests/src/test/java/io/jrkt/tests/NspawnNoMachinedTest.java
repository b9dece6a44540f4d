package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A systemd-nspawn pod on a node whose PID 1 is systemd but which has no systemd-machined
 * (neither its unit nor its D-Bus activation file): the pod registers nothing and runs in a
 * cgroup of its own that gc removes.
 */
class NspawnNoMachinedTest extends NodeTest {
  @Override
  boolean withMachined() {
    return false;
  }

  @Test
  void withoutMachinedThePodRegistersNothingAndGcRemovesItsOwnCgroup() {
    Path aci = Aci.busybox("example.com/no-machined").shell("echo ran")
        .write(jrkt.work(), "no-machined.aci");
    Path uuidFile = jrkt.work().resolve("uuid");

    Result r = jrkt.behind(node.localPrefix()).run(List.of(Jrkt.INSECURE, "--debug", "run",
        "--uuid-file-save=" + uuidFile, aci.toString()));

    r.ok();
    assertTrue(r.lines().contains("ran"), r.toString());
    String uuid = Jrkt.read(uuidFile).trim();
    assertTrue(r.err().contains("systemd is PID 1 but systemd-machined is not available:"
        + " --register=no --keep-unit, in a cgroup of our own"), r.err());
    String subcgroup = Jrkt.read(jrkt.data().resolve("pods/run").resolve(uuid)
        .resolve("subcgroup")).trim();
    // the node's own process ran it from the node's "node-local" cgroup
    assertEquals("node-local/rkt-" + uuid, subcgroup);
    node.exec("test", "-d", "/sys/fs/cgroup/" + subcgroup).ok();

    jrkt.run("gc", "--grace-period=0s").ok();

    assertEquals(1, node.exec("test", "-e", "/sys/fs/cgroup/" + subcgroup).exit(),
        "gc removed the pod's cgroup");
  }
}
