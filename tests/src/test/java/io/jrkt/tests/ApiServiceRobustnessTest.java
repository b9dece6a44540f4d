package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.jrkt.api.v1alpha.GetInfoRequest;
import io.jrkt.api.v1alpha.InspectPodRequest;
import io.jrkt.api.v1alpha.ListPodsRequest;
import io.jrkt.api.v1alpha.Pod;
import io.jrkt.api.v1alpha.PodState;
import io.jrkt.api.v1alpha.PublicAPIGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The api-service against damaged and changing data directories, and started by systemd's
 * socket activation.
 */
class ApiServiceRobustnessTest extends FunctionalTest {

  @Test
  void damagedAndVanishingPodsNeverFailListPods() throws Exception {
    Path aci = Aci.busybox("example.com/robust").version("1.0").write(jrkt.work(), "r.aci");
    Jrkt.PodRun ran = jrkt.runPod(List.of(aci.toString()));
    ran.result().ok();
    String good = ran.requireUuid();
    Path pods = jrkt.data().resolve("pods");
    // A prepared pod whose files were never written, one with a manifest that is not JSON, and
    // an entry that is not a pod at all.
    String empty = UUID.randomUUID().toString();
    Files.createDirectories(pods.resolve("prepared").resolve(empty));
    String junk = UUID.randomUUID().toString();
    Files.createDirectories(pods.resolve("prepared").resolve(junk));
    Files.writeString(pods.resolve("prepared").resolve(junk).resolve("pod"), "{\"acKind\":");
    Files.createDirectories(pods.resolve("run").resolve("not-a-pod"));

    try (ApiClient api = ApiClient.start(jrkt)) {
      List<Pod> listed = api.blocking.listPods(ListPodsRequest.newBuilder().setDetail(true)
          .build()).getPodsList();
      assertEquals(List.of(good, empty, junk).stream().sorted().toList(),
          listed.stream().map(Pod::getId).toList());
      for (Pod p : listed) {
        if (!p.getId().equals(good)) {
          assertEquals(PodState.POD_STATE_PREPARED, p.getState(), p.toString());
          assertEquals(0, p.getAppsCount());
        } else {
          assertEquals(PodState.POD_STATE_EXITED, p.getState());
        }
      }

      // Pods appearing and vanishing while clients list them.
      AtomicBoolean stop = new AtomicBoolean();
      Thread churn = new Thread(() -> {
        while (!stop.get()) {
          Path dir = pods.resolve("prepared").resolve(UUID.randomUUID().toString());
          try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("pod"), "{}");
            Files.delete(dir.resolve("pod"));
            Files.delete(dir);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      });
      churn.start();
      try {
        for (int i = 0; i < 300; i++) {
          List<String> ids = api.blocking.listPods(ListPodsRequest.newBuilder().setDetail(true)
              .build()).getPodsList().stream().map(Pod::getId).toList();
          assertTrue(ids.contains(good), ids.toString());
        }
      } finally {
        stop.set(true);
        churn.join();
      }
      assertEquals(good, api.blocking.inspectPod(InspectPodRequest.newBuilder().setId(good)
          .build()).getPod().getId());
    } finally {
      Files.delete(pods.resolve("run").resolve("not-a-pod"));
    }
  }

  @Test
  void socketActivationServesOnThePassedSocket() throws Exception {
    int port = ApiClient.freePort();
    Path err = jrkt.work().resolve("activated.err");
    Process p = new ProcessBuilder("systemd-socket-activate", "-l", "127.0.0.1:" + port,
        jrkt.bin().resolve("jrkt").toString(), "--dir=" + jrkt.data(), "api-service")
        .redirectInput(new java.io.File("/dev/null"))
        .redirectOutput(jrkt.work().resolve("activated.out").toFile())
        .redirectError(err.toFile()).start();
    ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      // systemd-socket-activate starts the service at the first connection.
      String dir = PublicAPIGrpc.newBlockingStub(ch).withWaitForReady()
          .withDeadlineAfter(60, TimeUnit.SECONDS).getInfo(GetInfoRequest.getDefaultInstance())
          .getInfo().getGlobalFlags().getDir();
      assertEquals(jrkt.data().toString(), dir);
      String log = ApiClient.read(err);
      assertTrue(log.contains("Listening on 127.0.0.1:" + port + " (fd 3)"), log);
    } finally {
      ch.shutdownNow();
      p.destroy();
      p.waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void listenTogetherWithSocketActivationIsRefused() throws Exception {
    int port = ApiClient.freePort();
    Process p = new ProcessBuilder("systemd-socket-activate", "-l", "127.0.0.1:" + port,
        jrkt.bin().resolve("jrkt").toString(), "--dir=" + jrkt.data(), "api-service",
        "--listen=127.0.0.1:" + ApiClient.freePort())
        .redirectInput(new java.io.File("/dev/null"))
        .redirectErrorStream(true).start();
    try (java.net.Socket trigger = connect(port)) {
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the service should refuse to start");
      String out = new String(p.getInputStream().readAllBytes());
      assertEquals(254, p.exitValue(), out);
      assertTrue(out.contains("--listen cannot be used with socket activation"), out);
    } finally {
      p.destroyForcibly();
    }
  }

  /** Connects once the activator listens. */
  private static java.net.Socket connect(int port) throws InterruptedException {
    for (int i = 0; ; i++) {
      try {
        return new java.net.Socket("127.0.0.1", port);
      } catch (java.io.IOException e) {
        if (i > 200) {
          throw new AssertionError("nothing listens on port " + port, e);
        }
        Thread.sleep(50);
      }
    }
  }

  @Test
  void badListenAddressIsOneLineAndExit254() {
    Result r = jrkt.run("api-service", "--listen=localhost:notaport");
    assertEquals(254, r.exit(), r.toString());
    assertTrue(r.err().contains("--listen=localhost:notaport"), r.toString());
    List<String> lines = new ArrayList<>(r.err().lines().toList());
    lines.removeIf(l -> l.equals("API service starting..."));
    assertEquals(1, lines.size(), r.toString());
  }
}
