package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The kubelet's rkt runtime, step by step as it drove rkt (section F of the compatibility
 * contract): {@code rkt prepare --quiet --pod-manifest}, a unit file
 * {@code /run/systemd/system/k8s_<uuid>.service} running {@code rkt run-prepared}, D-Bus
 * {@code Reload} and {@code RestartUnit}, later {@code StopUnit}; with {@code bin/rkt} as the
 * rkt path, the default stage1 and busctl standing in for the kubelet's D-Bus client.
 */
class KubeletFlowTest extends NodeTest {
  @Test
  void kubeletStartsAndStopsAPodThroughSystemd() throws IOException {
    String marker = "kubelet-" + UUID.randomUUID();
    Path aci = Aci.busybox("example.com/kube-web").shell("echo " + marker + "; exec sleep 300")
        .write(jrkt.work(), "kube-web.aci");
    String imageId = fullImageId(aci);
    String podUid = UUID.randomUUID().toString();
    Path manifest = jrkt.work().resolve("manifest-web.json");
    Files.writeString(manifest, "{\"acKind\":\"PodManifest\",\"acVersion\":\"0.8.11\","
        + "\"apps\":[{\"name\":\"web\",\"image\":{\"name\":\"example.com/kube-web\",\"id\":\""
        + imageId + "\"}}],\"annotations\":["
        + "{\"name\":\"rkt.kubernetes.io/managed-by-kubelet\",\"value\":\"true\"},"
        + "{\"name\":\"io.kubernetes.pod.uid\",\"value\":\"" + podUid + "\"},"
        + "{\"name\":\"io.kubernetes.pod.name\",\"value\":\"web\"},"
        + "{\"name\":\"io.kubernetes.pod.namespace\",\"value\":\"default\"},"
        + "{\"name\":\"io.kubernetes.container.name\",\"value\":\"POD\"},"
        + "{\"name\":\"rkt.kubernetes.io/restart-count\",\"value\":\"1\"}]}");

    Path rkt = jrkt.bin().resolve("rkt");
    List<String> globals = List.of("--insecure-options=image,ondisk", "--dir=" + jrkt.data());
    Result prepared = rkt(rkt, globals, "prepare", "--quiet", "--pod-manifest=" + manifest);
    assertEquals(1, prepared.lines().size(), prepared.toString());
    String uuid = prepared.lines().get(0);
    assertTrue(Ids.isUuid(uuid), prepared.toString());

    String unit = "k8s_" + uuid + ".service";
    // The pod is named like its container, so the unit's SyslogIdentifier is the app's name:
    // logs must still show only the app's lines.
    Path finished = jrkt.work().resolve("finished-" + uuid);
    Path unitFile = Path.of("/proc/" + node.pid() + "/root/run/systemd/system/" + unit);
    Files.writeString(unitFile, "[Unit]\nDescription=web\n\n[Service]\n"
        + "ExecStart=" + rkt + " " + String.join(" ", globals) + " run-prepared --net=host"
        + " --hostname=web " + uuid + "\n"
        + "ExecStopPost=/usr/bin/touch " + finished + "\n"
        + "KillMode=mixed\nTimeoutStopSec=30s\nSyslogIdentifier=web\n\n"
        + "[X-Kubernetes]\nPodUID=" + podUid + "\nPodName=web\nPodNamespace=default\n"
        + "PodHostNetwork=true\nPodNetworkNamespace=\n");
    try {
      busctl("Reload");
      busctl("RestartUnit", "ss", unit, "replace");
      awaitUnit(unit, "active");
      // the kubelet then polls InspectPod until the app runs; status is the CLI's view of it
      String state = "";
      for (int i = 0; i < 250 && !state.equals("running"); i++) {
        state = status(uuid).get("state");
        sleep(20);
      }
      assertEquals("running", state);
      Map<String, String> st = status(uuid);
      assertEquals(unit, st.get("unit"), st.toString());
      assertEquals("active/running", st.get("unit-state"), st.toString());
      String logs = "";
      for (int i = 0; i < 100 && !logs.contains(marker); i++) {
        logs = journal("-u", unit, "-t", "web").out();
        sleep(50);
      }
      assertTrue(logs.contains(marker), logs);
      assertEquals(List.of(marker), rkt(rkt, globals, "logs", uuid).lines());

      busctl("StopUnit", "ss", unit, "replace");
      Map<String, String> exited = awaitExited(uuid);
      assertEquals("exited", exited.get("state"));
      assertEquals("143", exited.get("app-web"), exited.toString());
      for (int i = 0; i < 100 && !Files.exists(finished); i++) {
        sleep(50);
      }
      assertTrue(Files.exists(finished), "ExecStopPost ran");
      // logs stay readable after the pod exited, until gc
      assertEquals(List.of(marker), rkt(rkt, globals, "logs", "--app=web", uuid).lines());

      // systemd restarting the unit: run-prepared refuses the pod that already ran, the unit
      // fails, and status still tells the pod's truth with its exit code and logs
      busctl("RestartUnit", "ss", unit, "replace");
      awaitUnit(unit, "failed");
      Map<String, String> after = status(uuid);
      assertEquals("exited", after.get("state"), after.toString());
      assertEquals("143", after.get("app-web"), after.toString());
      assertEquals("failed/failed (exit-code)", after.get("unit-state"), after.toString());
      assertEquals(List.of(marker), rkt(rkt, globals, "logs", uuid).lines());
    } finally {
      Files.deleteIfExists(unitFile);
      busctl("Reload");
    }
    rkt(rkt, globals, "gc", "--grace-period=0s");
    assertTrue(jrkt.podDirs().stream().noneMatch(d -> d.endsWith(uuid)), jrkt.podDirs()
        .toString());
  }

  private Result rkt(Path rkt, List<String> globals, String... args) {
    List<String> cmd = new java.util.ArrayList<>(node.prefix());
    cmd.add(rkt.toString());
    cmd.addAll(globals);
    cmd.addAll(List.of(args));
    Result r = exec(cmd);
    if (r.exit() != 0) {
      throw new AssertionError("rkt failed:\n" + r);
    }
    return r;
  }

  private static Result exec(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectInput(new java.io.File("/dev/null")).start();
      byte[] err = new byte[0];
      byte[] out = p.getInputStream().readAllBytes();
      err = p.getErrorStream().readAllBytes();
      p.waitFor();
      return new Result(cmd, p.exitValue(), new String(out), new String(err));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private void busctl(String method, String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of("busctl", "call",
        "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
        "org.freedesktop.systemd1.Manager", method));
    cmd.addAll(List.of(args));
    Result r = node.exec(cmd.toArray(new String[0]));
    assertEquals(0, r.exit(), r.toString());
  }

  private void awaitUnit(String unit, String state) {
    String s = "";
    for (int i = 0; i < 300 && !s.equals(state); i++) {
      s = node.unitProperty(unit, "ActiveState");
      sleep(20);
    }
    assertEquals(state, s, node.exec("systemctl", "status", "--no-pager", unit).out());
  }

  private String fullImageId(Path aci) {
    jrkt.fetch(aci);
    Result r = jrkt.run("image", "list", "--fields=id,name", "--full", "--no-legend").ok();
    for (String line : r.lines()) {
      if (line.contains("example.com/kube-web")) {
        return line.trim().split("\\s+")[0];
      }
    }
    throw new AssertionError("image not listed:\n" + r);
  }
}
