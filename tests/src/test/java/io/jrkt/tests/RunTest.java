package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code jrkt run} of fly pods: output, exit codes, environment, arguments, dependencies. */
class RunTest extends FunctionalTest {

  @Test
  void plainPodRunsAndExits() {
    Path aci = Aci.busybox("example.com/plain").exec("/bin/echo", "hello from plain")
        .write(jrkt.work(), "plain.aci");

    Jrkt.PodRun run = jrkt.runPod(List.of(aci.toString()));

    run.result().ok();
    assertEquals(List.of("hello from plain"), run.result().lines(), run.result().toString());
    assertExited(run.requireUuid(), 0);
  }

  @Test
  void appExitCodeIsThePodsExitCode() {
    Path aci = Aci.busybox("example.com/exit3").shell("exit 3").write(jrkt.work(), "exit3.aci");

    Jrkt.PodRun run = jrkt.runPod(List.of(aci.toString()));

    run.result().exits(3);
    String uuid = run.requireUuid();
    assertExited(uuid, 3);
    String row = jrkt.run("list", "--no-legend", "--full").ok().lines().stream()
        .filter(l -> l.startsWith(uuid)).findFirst()
        .orElseThrow(() -> new AssertionError("pod " + uuid + " not listed"));
    assertEquals("exited", Ids.cells(row).get(4), row);
  }

  @Test
  void imageEnvironmentSetEnvAndAppEnvironmentReachTheApp() {
    Path aci = Aci.busybox("example.com/env")
        .env("FROM_IMAGE", "image")
        .env("OVERRIDDEN", "image")
        .shell("echo \"IMAGE=$FROM_IMAGE SET=$FROM_SET APP=$FROM_APP OVERRIDDEN=$OVERRIDDEN\"")
        .write(jrkt.work(), "env.aci");

    Jrkt.PodRun run = jrkt.runPod(List.of("--set-env=FROM_SET=set value", aci.toString(),
        "--environment=FROM_APP=app", "--environment=OVERRIDDEN=app"));

    run.result().ok();
    assertEquals(List.of("IMAGE=image SET=set value APP=app OVERRIDDEN=app"),
        run.result().lines(), run.result().toString());
  }

  @Test
  void defaultEnvironmentHasPath() {
    Path aci = Aci.busybox("example.com/env-path").shell("echo \"PATH=$PATH\"")
        .write(jrkt.work(), "env-path.aci");

    Jrkt.PodRun run = jrkt.runPod(List.of(aci.toString()));

    run.result().ok();
    assertTrue(run.result().out().startsWith("PATH=/"), run.result().toString());
    assertTrue(run.result().out().contains("/bin"), run.result().toString());
  }

  @Test
  void argumentsAfterDoubleDashAreAppendedToExec() {
    Path aci = Aci.busybox("example.com/args")
        .exec("/bin/sh", "-c", "echo \"n=$# 1=$1 2=$2\"", "sh")
        .write(jrkt.work(), "args.aci");

    Jrkt.PodRun run = jrkt.runPod(List.of(aci.toString(), "--", "first arg", "--second"));

    run.result().ok();
    assertEquals(List.of("n=2 1=first arg 2=--second"), run.result().lines(),
        run.result().toString());
  }

  @Test
  void execReplacesTheImageCommand() {
    Path aci = Aci.busybox("example.com/exec").exec("/bin/sh", "-c", "exit 9")
        .write(jrkt.work(), "exec.aci");

    Jrkt.PodRun run = jrkt.runPod(List.of(aci.toString(), "--exec=/bin/echo", "--", "from",
        "exec"));

    run.result().ok();
    assertEquals(List.of("from exec"), run.result().lines(), run.result().toString());
  }

  @Test
  void dependencyChainRendersEveryLayerWithTheTopImageWinning() {
    Aci base = Aci.busybox("example.com/chain-base").withoutApp()
        .file("/etc/base.txt", "from base\n")
        .file("/etc/layer.txt", "base layer\n");
    Aci middle = Aci.busybox("example.com/chain-middle").withoutApp().withoutBusybox()
        .dependsOn("example.com/chain-base")
        .file("/etc/middle.txt", "from middle\n")
        .file("/etc/layer.txt", "middle layer\n");
    Aci top = Aci.busybox("example.com/chain-top").withoutBusybox()
        .dependsOn("example.com/chain-middle")
        .file("/etc/top.txt", "from top\n")
        .shell("cat /etc/base.txt /etc/middle.txt /etc/top.txt /etc/layer.txt");
    jrkt.fetch(base.write(jrkt.work(), "chain-base.aci"));
    jrkt.fetch(middle.write(jrkt.work(), "chain-middle.aci"));

    Jrkt.PodRun run = jrkt.runPod(List.of(top.write(jrkt.work(), "chain-top.aci").toString()));

    run.result().ok();
    assertEquals(List.of("from base", "from middle", "from top", "middle layer"),
        run.result().lines(), run.result().toString());
  }

  @Test
  void multiImagePodIsRefusedByFly() {
    Path a = Aci.busybox("example.com/multi-a").write(jrkt.work(), "multi-a.aci");
    Path b = Aci.busybox("example.com/multi-b").write(jrkt.work(), "multi-b.aci");
    List<String> podsBefore = runnableOrFinishedPods();

    Result r = jrkt.runPod(List.of(a.toString(), b.toString())).result();

    r.rejected();
    assertTrue(r.err().toLowerCase().contains("fly"), "the error should name the fly stage1: "
        + r);
    assertEquals(podsBefore, runnableOrFinishedPods(),
        "a refused pod must not show up as prepared, running or exited");
  }

  /** Pods that `list` shows in a state that claims the pod is usable or ran. */
  private List<String> runnableOrFinishedPods() {
    return jrkt.run("list", "--no-legend", "--full").ok().lines().stream()
        .filter(l -> !l.startsWith("\t"))
        .filter(l -> {
          List<String> c = Ids.cells(l);
          return c.size() > 4 && List.of("prepared", "running", "exited").contains(c.get(4));
        })
        .toList();
  }

  @Test
  void runOfAnImageAlreadyInTheStoreByName() {
    Aci aci = Aci.busybox("example.com/by-name").version("3.1.4").exec("/bin/echo", "by name");
    jrkt.fetch(aci.write(jrkt.work(), "by-name.aci"));

    Jrkt.PodRun run = jrkt.runPod(List.of("example.com/by-name:3.1.4"));

    run.result().ok();
    assertEquals(List.of("by name"), run.result().lines(), run.result().toString());
    Map<String, Object> app = MiniJson.object(MiniJson.array(
        podManifest(run.requireUuid()).get("apps")).get(0));
    assertEquals(aci.imageId(), MiniJson.object(app.get("image")).get("id"));
  }
}
