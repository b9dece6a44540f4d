package io.jrkt.tests;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.jrkt.api.v1alpha.ImageFilter;
import io.jrkt.api.v1alpha.InspectImageRequest;
import io.jrkt.api.v1alpha.InspectPodRequest;
import io.jrkt.api.v1alpha.KeyValue;
import io.jrkt.api.v1alpha.ListImagesRequest;
import io.jrkt.api.v1alpha.ListPodsRequest;
import io.jrkt.api.v1alpha.PodFilter;
import io.jrkt.api.v1alpha.PublicAPIGrpc;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The api-service benchmark client (bench/api.sh runs it; it is no test). Prints one line per
 * figure: {@code name<TAB>p50 ms<TAB>p99 ms<TAB>calls<TAB>errors<TAB>service CPU ms per call<TAB>
 * max ms}. The CPU column (from the service's /proc/PID/stat) does not depend on how busy the
 * machine is, unlike the latencies.
 *
 * <pre>
 * ApiBench PORT SERVICE_PID latency RUNS
 * ApiBench PORT SERVICE_PID load RATE SECONDS
 * </pre>
 */
public final class ApiBench {
  private static final KeyValue MANAGED = KeyValue.newBuilder()
      .setKey("rkt.kubernetes.io/managed-by-kubelet").setValue("true").build();

  /** The warm-up before the measured load (the service's and the client's JIT). */
  private static final int WARM_SECONDS = 10;

  private static long servicePid;

  private ApiBench() {}

  /** The service's user + system CPU time so far, in ms (clock ticks of 10 ms). */
  private static double serviceCpuMs() {
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + servicePid
          + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0;
    } catch (java.io.IOException e) {
      return Double.NaN;
    }
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    servicePid = Long.parseLong(args[1]);
    args = java.util.Arrays.copyOfRange(args, 1, args.length);
    ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
        .maxInboundMessageSize(256 << 20).build();
    try {
      PublicAPIGrpc.PublicAPIBlockingStub api = PublicAPIGrpc.newBlockingStub(ch);
      List<String> pods = api.listPods(ListPodsRequest.getDefaultInstance()).getPodsList()
          .stream().map(p -> p.getId()).toList();
      List<String> images = api.listImages(ListImagesRequest.getDefaultInstance())
          .getImagesList().stream().map(i -> i.getId()).toList();
      System.err.println("bench: " + pods.size() + " pods, " + images.size() + " images");
      if (args[1].equals("latency")) {
        latency(api, pods, images, Integer.parseInt(args[2]));
      } else {
        load(port, pods, images, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      }
    } finally {
      ch.shutdownNow();
    }
  }

  private static void latency(PublicAPIGrpc.PublicAPIBlockingStub api, List<String> pods,
      List<String> images, int runs) {
    Random r = new Random(1);
    time("ListPods(detail=true)", runs, () -> api.listPods(ListPodsRequest.newBuilder()
        .setDetail(true).build()).getPodsCount());
    time("ListPods(detail=true, kubelet filter, states=RUNNING)", runs, () -> api.listPods(
        ListPodsRequest.newBuilder().setDetail(true).addFilters(PodFilter.newBuilder()
            .addAnnotations(MANAGED).addStatesValue(4)).build()).getPodsCount());
    time("InspectPod", runs, () -> api.inspectPod(InspectPodRequest.newBuilder()
        .setId(pods.get(r.nextInt(pods.size()))).build()).getPod().getAppsCount());
    time("ListImages(detail=true)", runs, () -> api.listImages(ListImagesRequest.newBuilder()
        .setDetail(true).build()).getImagesCount());
    time("ListImages(kubelet keyword+version filter)", runs, () -> api.listImages(
        ListImagesRequest.newBuilder().addFilters(ImageFilter.newBuilder()
            .addKeywords("example.com/bench-api-7").addLabels(KeyValue.newBuilder()
                .setKey("version").setValue("1.0.0"))).build()).getImagesCount());
    time("InspectImage", runs, () -> api.inspectImage(InspectImageRequest.newBuilder()
        .setId(images.get(r.nextInt(images.size()))).build()).getImage().getSize());
  }

  private static void time(String name, int runs, Supplier<Object> call) {
    // Warm: a long-running service has its hot paths compiled; the first calls measure the JIT.
    for (int i = 0; i < Math.max(100, runs / 2); i++) {
      call.get();
    }
    long[] ns = new long[runs];
    double cpu = serviceCpuMs();
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      call.get();
      ns[i] = System.nanoTime() - t;
    }
    print(name, ns, runs, 0, (serviceCpuMs() - cpu) / runs);
  }

  /**
   * A fixed rate of calls, each sent at its scheduled time whether or not earlier ones finished
   * (an open loop, so a slow service cannot lower the offered load), from 16 connections.
   *
   * <p>Latency runs from a call's scheduled send time to its answer, so a late send (the client
   * stalled) counts against the figure rather than hiding a queue. The calls are asynchronous:
   * one thread sends them and netty's event loops take the answers, so the client needs a few
   * threads, not one per call in flight, on the cores it shares with the service.
   *
   * <p>First a warm-up: {@code WARM_SECONDS} of the same mix at half the rate, reported on its
   * own row (a cold client and a service whose hot paths are not compiled yet; a kubelet meets
   * that only once per service start). Then the measured load. The last row shows how late the
   * client sent: if that is high, the client, not the service, was the limit. With
   * {@code -Dapibench.dump=FILE} every measured call is written out (index, kind, scheduled time
   * in epoch ms, send delay ms, latency ms, ok).
   */
  private static void load(int port, List<String> pods, List<String> images,
      int rate, int seconds) throws Exception {
    int connections = 16;
    List<ManagedChannel> chans = new ArrayList<>();
    List<PublicAPIGrpc.PublicAPIStub> stubs = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
          .directExecutor().maxInboundMessageSize(256 << 20).build();
      chans.add(c);
      stubs.add(PublicAPIGrpc.newStub(c));
    }
    // Connect every channel before the clock starts.
    for (PublicAPIGrpc.PublicAPIStub s : stubs) {
      PublicAPIGrpc.newBlockingStub(s.getChannel()).getInfo(
          io.jrkt.api.v1alpha.GetInfoRequest.getDefaultInstance());
    }
    Run warm = run(stubs, pods, images, Math.max(1, rate / 2), WARM_SECONDS);
    warm.print("warm-up (cold client and service): " + warm.rate + "/s for " + WARM_SECONDS
        + " s");
    Run r = run(stubs, pods, images, rate, seconds);
    for (ManagedChannel c : chans) {
      c.shutdownNow();
    }
    r.print("mixed load " + rate + "/s for " + seconds + " s (took " + r.elapsedMs + " ms)");
    print("client send delay (mixed load)", r.late, r.late.length, -1, Double.NaN);
    String dump = System.getProperty("apibench.dump");
    if (dump != null) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < r.latency.length; i++) {
        b.append(i).append('\t').append(i % 10).append('\t')
            .append(r.startWallMs + (long) i * 1000 / rate).append('\t')
            .append(r.late[i] / 1e6).append('\t').append(r.latency[i] / 1e6).append('\t')
            .append(r.ok[i]).append('\n');
      }
      java.nio.file.Files.writeString(java.nio.file.Path.of(dump), b);
    }
  }

  /** One open-loop run: per call its latency and send delay (ns) and whether it succeeded. */
  private record Run(int rate, long[] latency, long[] late, boolean[] ok, long errors,
      long elapsedMs, long startWallMs, double cpuPerCall) {
    void print(String name) {
      ApiBench.print(name, latency, latency.length, errors, cpuPerCall);
    }
  }

  private static Run run(List<PublicAPIGrpc.PublicAPIStub> stubs, List<String> pods,
      List<String> images, int rate, int seconds) throws InterruptedException {
    int total = rate * seconds;
    long[] latency = new long[total];
    long[] late = new long[total];
    boolean[] ok = new boolean[total];
    AtomicLong errors = new AtomicLong();
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(total);
    double cpu = serviceCpuMs();
    long startWallMs = System.currentTimeMillis() + 20;
    long start = System.nanoTime() + 20_000_000L;
    for (int i = 0; i < total; i++) {
      long due = start + (long) i * 1_000_000_000L / rate;
      long now = System.nanoTime();
      while (now < due) {
        java.util.concurrent.locks.LockSupport.parkNanos(due - now);
        now = System.nanoTime();
      }
      late[i] = now - due;
      int k = i;
      mixedCall(stubs.get(i % stubs.size()), i, pods, images, success -> {
        latency[k] = System.nanoTime() - due;
        ok[k] = success;
        if (!success) {
          errors.incrementAndGet();
        }
        done.countDown();
      });
    }
    done.await();
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    return new Run(rate, latency, late, ok, errors.get(), elapsedMs, startWallMs,
        (serviceCpuMs() - cpu) / total);
  }

  /**
   * The mix: per 10 calls, 1 ListPods(detail) of one kubelet pod (GetPodStatus's query), 1
   * ListImages with the kubelet's filter, 4 InspectPod and 4 InspectImage.
   */
  static void mixedCall(PublicAPIGrpc.PublicAPIStub s, int i, List<String> pods,
      List<String> images, java.util.function.Consumer<Boolean> end) {
    switch (i % 10) {
      case 0:
        s.listPods(ListPodsRequest.newBuilder().setDetail(true).addFilters(PodFilter.newBuilder()
            .addAnnotations(MANAGED).addAnnotations(KeyValue.newBuilder()
                .setKey("io.kubernetes.pod.uid").setValue("uid-" + (i % pods.size())))).build(),
            observer(end));
        break;
      case 1:
        s.listImages(ListImagesRequest.newBuilder().addFilters(ImageFilter.newBuilder()
            .addKeywords("example.com/bench-api-" + (i % 100)).addLabels(KeyValue.newBuilder()
                .setKey("version").setValue("1.0.0"))).build(), observer(end));
        break;
      case 2: case 3: case 4: case 5:
        s.inspectPod(InspectPodRequest.newBuilder().setId(pods.get(i % pods.size())).build(),
            observer(end));
        break;
      default:
        s.inspectImage(InspectImageRequest.newBuilder().setId(images.get(i % images.size()))
            .build(), observer(end));
    }
  }

  /** Reports the end of one unary call: true when it answered, false on an error. */
  private static <T> StreamObserver<T> observer(java.util.function.Consumer<Boolean> end) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {}

      @Override
      public void onError(Throwable t) {
        end.accept(false);
      }

      @Override
      public void onCompleted() {
        end.accept(true);
      }
    };
  }

  private static void print(String name, long[] ns, int n, long errors, double cpuPerCall) {
    long[] s = Arrays.copyOf(ns, n);
    Arrays.sort(s);
    System.out.printf("%s\t%.2f\t%.2f\t%d\t%s\t%.2f\t%.2f%n", name, s[n / 2] / 1e6,
        s[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)] / 1e6, n,
        errors < 0 ? "" : Long.toString(errors), cpuPerCall, s[n - 1] / 1e6);
  }
}
