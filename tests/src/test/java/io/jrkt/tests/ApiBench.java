package io.jrkt.tests;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The api-service benchmark client (bench/api.sh runs it; it is no test). Prints one line per
 * figure: {@code name<TAB>p50 ms<TAB>p99 ms<TAB>calls<TAB>errors<TAB>service CPU ms per call}.
 * The last column (from the service's /proc/PID/stat) does not depend on how busy the machine
 * is, unlike the latencies.
 *
 * <pre>
 * ApiBench PORT SERVICE_PID latency RUNS
 * ApiBench PORT SERVICE_PID load RATE SECONDS
 * </pre>
 */
public final class ApiBench {
  private static final KeyValue MANAGED = KeyValue.newBuilder()
      .setKey("rkt.kubernetes.io/managed-by-kubelet").setValue("true").build();

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
   * A fixed rate of calls, started on schedule whether or not earlier ones finished (an open
   * loop, so a slow service cannot lower the offered load), from 16 connections.
   */
  private static void load(int port, List<String> pods, List<String> images,
      int rate, int seconds) throws InterruptedException {
    int connections = 16;
    List<ManagedChannel> chans = new ArrayList<>();
    List<PublicAPIGrpc.PublicAPIBlockingStub> stubs = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
          .maxInboundMessageSize(256 << 20).build();
      chans.add(c);
      stubs.add(PublicAPIGrpc.newBlockingStub(c).withDeadlineAfter(3600, TimeUnit.SECONDS));
    }
    int total = rate * seconds;
    long[] ns = new long[total];
    AtomicLong errors = new AtomicLong();
    AtomicLong done = new AtomicLong();
    ExecutorService callers = Executors.newFixedThreadPool(128);
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    long periodNs = 1_000_000_000L / rate;
    AtomicLong next = new AtomicLong();
    double cpu = serviceCpuMs();
    long start = System.nanoTime();
    ticker.scheduleAtFixedRate(() -> {
      long due = (System.nanoTime() - start) / periodNs;
      while (next.get() <= due && next.get() < total) {
        int i = (int) next.getAndIncrement();
        callers.execute(() -> {
          PublicAPIGrpc.PublicAPIBlockingStub s = stubs.get(i % connections);
          long t = System.nanoTime();
          try {
            mixedCall(s, i, pods, images);
          } catch (RuntimeException e) {
            errors.incrementAndGet();
          }
          ns[i] = System.nanoTime() - t;
          done.incrementAndGet();
        });
      }
    }, 0, 1, TimeUnit.MILLISECONDS);
    while (done.get() < total) {
      Thread.sleep(100);
    }
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    ticker.shutdownNow();
    callers.shutdownNow();
    for (ManagedChannel c : chans) {
      c.shutdownNow();
    }
    print("mixed load " + rate + "/s for " + seconds + " s (took " + elapsedMs + " ms)", ns,
        total, errors.get(), (serviceCpuMs() - cpu) / total);
  }

  /**
   * The mix: per 10 calls, 1 ListPods(detail) of one kubelet pod (GetPodStatus's query), 1
   * ListImages with the kubelet's filter, 4 InspectPod and 4 InspectImage.
   */
  static void mixedCall(PublicAPIGrpc.PublicAPIBlockingStub s, int i, List<String> pods,
      List<String> images) {
    switch (i % 10) {
      case 0:
        s.listPods(ListPodsRequest.newBuilder().setDetail(true).addFilters(PodFilter.newBuilder()
            .addAnnotations(MANAGED).addAnnotations(KeyValue.newBuilder()
                .setKey("io.kubernetes.pod.uid").setValue("uid-" + (i % pods.size())))).build());
        break;
      case 1:
        s.listImages(ListImagesRequest.newBuilder().addFilters(ImageFilter.newBuilder()
            .addKeywords("example.com/bench-api-" + (i % 100)).addLabels(KeyValue.newBuilder()
                .setKey("version").setValue("1.0.0"))).build());
        break;
      case 2: case 3: case 4: case 5:
        s.inspectPod(InspectPodRequest.newBuilder().setId(pods.get(i % pods.size())).build());
        break;
      default:
        s.inspectImage(InspectImageRequest.newBuilder().setId(images.get(i % images.size()))
            .build());
    }
  }

  private static void print(String name, long[] ns, int n, long errors, double cpuPerCall) {
    long[] s = Arrays.copyOf(ns, n);
    Arrays.sort(s);
    System.out.printf("%s\t%.2f\t%.2f\t%d\t%d\t%.2f%n", name, s[n / 2] / 1e6,
        s[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)] / 1e6, n, errors, cpuPerCall);
  }
}
