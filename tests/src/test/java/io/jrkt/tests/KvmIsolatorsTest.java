package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The apps' isolators inside a VM pod (stage1-kvm, {@code --kvm-accel=auto}), enforced by the
 * guest's init as stage1-nspawn's supervisor enforces them: capabilities, oom_score_adj,
 * no_new_privs, the seccomp filter, and memory and CPU limits as cgroups of the guest kernel.
 * Each test is one VM boot; one pod checks several isolators at once, one per app.
 */
class KvmIsolatorsTest extends FunctionalTest {
  private static final String KVM = "--stage1-name=coreos.com/rkt/stage1-kvm";
  private static final String AUTO = "--kvm-accel=auto";
  private int uuidFiles;

  @BeforeAll
  void findStage1() {
    KvmStage1.assumeRunnable(jrkt);
  }

  private Jrkt.PodRun vm(String... args) {
    Path uuidFile = jrkt.work().resolve("kvm-iso-uuid-" + (++uuidFiles));
    List<String> cmd = new ArrayList<>(List.of(Jrkt.INSECURE, "run", KVM, AUTO, "--net=none",
        "--uuid-file-save=" + uuidFile));
    cmd.addAll(List.of(args));
    Result r = jrkt.run(cmd);
    return new Jrkt.PodRun(r, Files.exists(uuidFile) ? Jrkt.read(uuidFile).trim() : null);
  }

  private Path image(String name, String script) {
    return Aci.busybox("example.com/" + name).shell(script).write(jrkt.work(), name + ".aci");
  }

  /** The lines of the app whose lines start with {@code prefix}, prefix removed, in order. */
  private static List<String> linesOf(Result r, String prefix) {
    return r.lines().stream().filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length())).toList();
  }

  @Test
  void capabilitiesOomScoreNoNewPrivsAndSeccompPerApp() {
    Path caps = image("kvm-caps", "touch /tmp/x; if chown 1:1 /tmp/x 2>/dev/null; "
        + "then echo caps:chowned; else echo caps:chown-refused; fi; "
        + "echo caps:oom=$(cat /proc/self/oom_score_adj)");
    Path plain = image("kvm-plain", "touch /tmp/x; if chown 1:1 /tmp/x; then echo plain:chowned;"
        + " fi; grep NoNewPrivs /proc/self/status | tr -d '\\t' | sed 's/^/plain:/'");
    Path filtered = image("kvm-seccomp", "touch /tmp/f; if chmod 600 /tmp/f 2>/dev/null; "
        + "then echo seccomp:chmod-allowed; else echo seccomp:chmod-refused; fi; "
        + "echo seccomp:$(ls -l /tmp/f | cut -c1-10)");

    Jrkt.PodRun run = vm(caps.toString(), "--caps-remove=CAP_CHOWN", "--oom-score-adj=500",
        "---", plain.toString(),
        "---", filtered.toString(), "--seccomp=mode=remove,errno=EPERM,chmod,fchmodat");

    run.result().ok();
    assertEquals(List.of("chown-refused", "oom=500"), linesOf(run.result(), "caps:"),
        "CAP_CHOWN removed in the guest: " + run.result());
    assertEquals(List.of("chowned", "NoNewPrivs:1"), linesOf(run.result(), "plain:"),
        "rkt's default set keeps CAP_CHOWN; the default seccomp filter implies no_new_privs: "
            + run.result());
    assertEquals(List.of("chmod-refused", "-rw-r--r--"), linesOf(run.result(), "seccomp:"),
        "chmod removed by the app's filter: " + run.result());
  }

  @Test
  void insecureOptionsLeaveCapabilitiesAndSyscallsAlone() {
    Path aci = image("kvm-insecure", "touch /tmp/f; chmod 600 /tmp/f && echo chmod-allowed; "
        + "chown 1:1 /tmp/f && echo chowned; grep NoNewPrivs /proc/self/status | tr -d '\\t'");

    Jrkt.PodRun run = vm("--insecure-options=image,capabilities,seccomp", aci.toString(),
        "--caps-remove=CAP_CHOWN", "--seccomp=mode=remove,errno=EPERM,chmod,fchmodat");

    run.result().ok();
    assertEquals(List.of("chmod-allowed", "chowned", "NoNewPrivs:0"), run.result().lines(),
        run.result().toString());
  }

  @Test
  void memoryAndCpuLimitsAreTheAppsCgroupInTheGuestAndOomKills() {
    Path limited = image("kvm-limits", "cat /proc/self/cgroup; cat /sys/fs/cgroup/app-kvm-limits"
        + "/memory.max /sys/fs/cgroup/app-kvm-limits/cpu.max; "
        + "s=xxxxxxxxxxxxxxxx; while :; do s=$s$s; done");

    Jrkt.PodRun run = vm(limited.toString(), "--memory=48M", "--cpu=500m");

    run.result().exits(137);
    // 48M is a decimal quantity, as in Kubernetes; the kernel keeps whole pages.
    long pages = 48_000_000L / 4096 * 4096;
    assertEquals(List.of("0::/app-kvm-limits", Long.toString(pages), "50000 100000"),
        run.result().lines(), run.result().toString());
    Map<String, String> status = status(run.requireUuid());
    assertEquals("137", status.get("app-kvm-limits"), "killed by the guest's OOM killer: "
        + status);
    jrkt.run("gc", "--grace-period=0s").ok();
  }

  @Test
  void aCpuLimitBelowTheKernelsMinimumIsRefusedBeforeAnyVmStarts() {
    Path aci = image("kvm-tiny-cpu", "echo should-not-run");
    List<String> before = jrkt.podDirs();

    Jrkt.PodRun run = vm(aci.toString(), "--cpu=5m");

    run.result().rejected();
    assertTrue(run.result().err().contains("below the minimum of 10m"), run.result().toString());
    assertEquals(before, jrkt.podDirs(), "no pod is left");
  }
}
