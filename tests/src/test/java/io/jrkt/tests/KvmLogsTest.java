package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.api.v1alpha.GetLogsRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A VM pod (stage1-kvm, {@code --kvm-accel=auto}: TCG where KVM is not usable) run as a unit on
 * a private systemd node: each app's stdout and stderr reach journald under the app's name, as
 * with stage1-nspawn, so {@code logs --app}, {@code journalctl -t} and the API's GetLogs select
 * one app's lines.
 */
class KvmLogsTest extends NodeTest {
  private static final String KVM = "--stage1-name=coreos.com/rkt/stage1-kvm";
  private static final String AUTO = "--kvm-accel=auto";
  private String uuid;
  private String unit;

  private Path image(String name, String script) {
    return Aci.busybox("example.com/" + name).shell(script).write(jrkt.work(), name + ".aci");
  }

  @BeforeAll
  void runATwoAppVmPodAsAUnit() {
    KvmStage1.assumeRunnable(jrkt);
    Path a = image("kvmlog-a", "for i in 1 2 3; do echo a-out-$i; done; echo a-err >&2");
    Path b = image("kvmlog-b", "echo b-out; echo b-err >&2; sleep 1");
    // The node has no /dev/net/tun: the VM gets no NIC, which logging does not need.
    Result r = jrkt.run(Jrkt.INSECURE, "run", "--unit", KVM, AUTO, "--net=none", a.toString(),
        "---",
        b.toString()).ok();
    uuid = r.lines().get(0);
    unit = r.lines().get(1);
    Map<String, String> st = awaitExited(uuid);
    assertEquals("0", st.get("app-kvmlog-a"), st + "\n" + journal("-u", unit).out());
    assertEquals("0", st.get("app-kvmlog-b"), st + "\n" + journal("-u", unit).out());
  }

  /** journald may still be storing the last lines when the pod has exited. */
  private List<String> logs(String app, int expected) {
    List<String> lines = List.of();
    for (int i = 0; i < 50 && lines.size() < expected; i++) {
      lines = jrkt.run("logs", "--app=" + app, uuid).ok().lines();
      if (lines.size() < expected) {
        sleep(100);
      }
    }
    return lines;
  }

  private static List<String> sorted(List<String> l) {
    List<String> s = new ArrayList<>(l);
    s.sort(null);
    return s;
  }

  @Test
  void logsOfOneAppShowOnlyItsLines() {
    List<String> a = logs("kvmlog-a", 4);
    assertEquals(List.of("a-err", "a-out-1", "a-out-2", "a-out-3"), sorted(a), a.toString());
    // one app's stdout keeps its order
    assertEquals(List.of("a-out-1", "a-out-2", "a-out-3"),
        a.stream().filter(l -> l.startsWith("a-out")).toList());
    List<String> b = logs("kvmlog-b", 2);
    assertEquals(List.of("b-err", "b-out"), sorted(b), b.toString());
    // a pod's logs name each line's app when it has more than one
    List<String> all = jrkt.run("logs", uuid).ok().lines();
    assertEquals(sorted(concat(a.stream().map(l -> "kvmlog-a: " + l).toList(),
        b.stream().map(l -> "kvmlog-b: " + l).toList())), sorted(all), all.toString());
  }

  @Test
  void journalEntriesCarryTheAppsIdentifierAndNspawnsPriority() {
    logs("kvmlog-b", 2);
    String byApp = journal("-t", "kvmlog-b", "_SYSTEMD_UNIT=" + unit).out();
    assertEquals(List.of("b-err", "b-out"), sorted(byApp.lines().toList()), byApp);
    // stdout and stderr alike: facility user, level info, as stage1-nspawn's streams
    String info = journal("-t", "kvmlog-a", "SYSLOG_FACILITY=1", "PRIORITY=6").out();
    assertEquals(List.of("a-err", "a-out-1", "a-out-2", "a-out-3"),
        sorted(info.lines().toList()), info);
  }

  @Test
  void apiGetLogsSelectsOneApp() {
    logs("kvmlog-a", 4);
    try (ApiClient api = ApiClient.start(jrkt)) {
      List<String> lines = new ArrayList<>();
      api.blocking.getLogs(GetLogsRequest.newBuilder().setPodId(uuid).setAppName("kvmlog-b")
          .build()).forEachRemaining(r -> lines.addAll(r.getLinesList()));
      assertEquals(2, lines.size(), lines.toString());
      assertTrue(lines.stream().allMatch(l -> l.endsWith("MESSAGE=b-out")
          || l.endsWith("MESSAGE=b-err")), lines.toString());
    }
  }

  private static List<String> concat(List<String> x, List<String> y) {
    List<String> l = new ArrayList<>(x);
    l.addAll(y);
    return l;
  }
}
