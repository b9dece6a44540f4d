package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.jrkt.api.v1alpha.App;
import io.jrkt.api.v1alpha.AppState;
import io.jrkt.api.v1alpha.Event;
import io.jrkt.api.v1alpha.EventFilter;
import io.jrkt.api.v1alpha.EventType;
import io.jrkt.api.v1alpha.GetInfoRequest;
import io.jrkt.api.v1alpha.GetLogsRequest;
import io.jrkt.api.v1alpha.Image;
import io.jrkt.api.v1alpha.ImageFilter;
import io.jrkt.api.v1alpha.Info;
import io.jrkt.api.v1alpha.InspectImageRequest;
import io.jrkt.api.v1alpha.InspectPodRequest;
import io.jrkt.api.v1alpha.KeyValue;
import io.jrkt.api.v1alpha.ListImagesRequest;
import io.jrkt.api.v1alpha.ListPodsRequest;
import io.jrkt.api.v1alpha.ListenEventsRequest;
import io.jrkt.api.v1alpha.ListenEventsResponse;
import io.jrkt.api.v1alpha.Pod;
import io.jrkt.api.v1alpha.PodFilter;
import io.jrkt.api.v1alpha.PodState;
import io.jrkt.api.v1alpha.PublicAPIGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code jrkt api-service} driven the way the kubelet drives rkt's: over loopback TCP with a
 * client generated from the v1alpha .proto, against pods and images made with the CLI.
 */
class ApiServiceTest extends FunctionalTest {
  private static final String MANAGED = "rkt.kubernetes.io/managed-by-kubelet";
  private static final String POD_UID = "io.kubernetes.pod.uid";
  private static final String FLY_NAME = "coreos.com/rkt/stage1-fly";

  private ApiClient api;
  private String appV1;
  private String appV2;
  private String otherImage;
  private String preparedPod;
  private String exitedPod;
  private String runningPod;
  private String unmanagedPod;
  private Jrkt.Running runningProcess;

  @BeforeAll
  void podsAndImages() throws Exception {
    Path work = jrkt.work();
    appV1 = fetchFull(Aci.busybox("example.com/api-app").version("1.0")
        .shell("for i in 1 2 3; do echo line-$i; done; exit 3").write(work, "app-1.0.aci"));
    Thread.sleep(1100); // import times in seconds: keep the two versions apart
    appV2 = fetchFull(Aci.busybox("example.com/api-app").version("2.0")
        .shell("exec sleep 600").write(work, "app-2.0.aci"));
    otherImage = fetchFull(Aci.busybox("example.org/other").version("1.0")
        .write(work, "other.aci"));

    preparedPod = jrkt.prepare(List.of("--pod-manifest=" + podManifest("prep", appV1, true, "u1")));
    exitedPod = runManifest(podManifest("done", appV1, true, "u2"), 3);
    unmanagedPod = runManifest(podManifest("plain", appV1, false, ""), 3);
    runningProcess = jrkt.start(List.of(Jrkt.INSECURE, "run", Jrkt.FLY,
        "--uuid-file-save=" + work.resolve("running-uuid"),
        "--pod-manifest=" + podManifest("live", appV2, true, "u3")));
    runningPod = awaitRunning(work.resolve("running-uuid"));

    api = ApiClient.start(jrkt);
  }

  @AfterAll
  void stopAll() {
    if (api != null) {
      api.close();
    }
    if (runningPod != null) {
      jrkt.run("stop", "--force", runningPod);
    }
    if (runningProcess != null) {
      runningProcess.await(Jrkt.TIMEOUT);
    }
  }

  @Test
  void getInfoPassesTheKubeletsVersionCheck() {
    AtomicReference<Metadata> headers = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    Info info = api.blocking
        .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
        .getInfo(GetInfoRequest.getDefaultInstance()).getInfo();

    int[] v = semver(info.getRktVersion());
    assertTrue(v[0] > 1 || (v[0] == 1 && v[1] >= 13), "rkt_version " + info.getRktVersion());
    assertEquals("1.0.0-alpha", info.getApiVersion());
    assertEquals("0.8.11", info.getAppcVersion());
    assertEquals(jrkt.data().toString(), info.getGlobalFlags().getDir());
    assertEquals("/etc/rkt", info.getGlobalFlags().getLocalConfigDir());
    assertEquals("none", info.getGlobalFlags().getInsecureFlags());
    String jrktVersion = headers.get().get(Metadata.Key.of("jrkt-version",
        Metadata.ASCII_STRING_MARSHALLER));
    assertTrue(jrktVersion != null && jrktVersion.matches("\\d+\\.\\d+\\.\\d+.*"),
        "jrkt-version header: " + jrktVersion);
  }

  @Test
  void listPodsWithTheKubeletsFilters() {
    PodFilter managed = PodFilter.newBuilder().addAnnotations(kv(MANAGED, "true")).build();
    List<Pod> all = api.blocking.listPods(ListPodsRequest.newBuilder().setDetail(true)
        .addFilters(managed).build()).getPodsList();
    assertEquals(sorted(preparedPod, exitedPod, runningPod), ids(all));
    assertTrue(all.stream().allMatch(p -> !p.getManifest().isEmpty()), "detail=true: manifests");

    List<Pod> running = api.blocking.listPods(ListPodsRequest.newBuilder().setDetail(true)
        .addFilters(managed.toBuilder().addStates(PodState.POD_STATE_RUNNING)).build())
        .getPodsList();
    assertEquals(List.of(runningPod), ids(running));

    // GetPodStatus: managed AND this pod uid; two filters OR together.
    List<Pod> byUid = api.blocking.listPods(ListPodsRequest.newBuilder()
        .addFilters(managed.toBuilder().addAnnotations(kv(POD_UID, "u2")))
        .addFilters(PodFilter.newBuilder().addIds(unmanagedPod)).build()).getPodsList();
    assertEquals(sorted(exitedPod, unmanagedPod), ids(byUid));
    assertTrue(byUid.stream().allMatch(p -> p.getManifest().isEmpty()), "detail=false: none");

    List<Pod> everything = api.blocking.listPods(ListPodsRequest.getDefaultInstance())
        .getPodsList();
    assertEquals(sorted(preparedPod, exitedPod, runningPod, unmanagedPod), ids(everything));
  }

  @Test
  void inspectPodOfEveryPod() {
    Map<String, Pod> pods = new ConcurrentHashMap<>();
    for (String id : List.of(preparedPod, exitedPod, runningPod, unmanagedPod)) {
      pods.put(id, api.blocking.inspectPod(InspectPodRequest.newBuilder().setId(id).build())
          .getPod());
    }
    Pod prepared = pods.get(preparedPod);
    assertEquals(PodState.POD_STATE_PREPARED, prepared.getState());
    assertEquals(-1, prepared.getPid());
    assertEquals(0, prepared.getStartedAt());
    assertEquals(AppState.APP_STATE_UNDEFINED, prepared.getApps(0).getState());
    assertEquals(-1, prepared.getApps(0).getExitCode());

    Pod exited = pods.get(exitedPod);
    assertEquals(PodState.POD_STATE_EXITED, exited.getState());
    App app = exited.getApps(0);
    assertEquals("done", app.getName());
    assertEquals(AppState.APP_STATE_EXITED, app.getState());
    assertEquals(3, app.getExitCode());
    assertEquals(appV1, app.getImage().getId());
    assertEquals("example.com/api-app", app.getImage().getName());
    assertEquals("1.0", app.getImage().getVersion());
    assertTrue(exited.getStartedAt() >= exited.getCreatedAt() && exited.getCreatedAt() > 0,
        exited.toString());
    assertTrue(exited.getCreatedAt() > 1_000_000_000L * 1_000_000_000L, "nanoseconds");

    Pod running = pods.get(runningPod);
    assertEquals(PodState.POD_STATE_RUNNING, running.getState());
    assertTrue(running.getPid() > 0, "pid of a running pod: " + running.getPid());
    assertTrue(Files.exists(Path.of("/proc/" + running.getPid())), "pid is a live process");
    assertEquals(AppState.APP_STATE_RUNNING, running.getApps(0).getState());
    assertEquals("2.0", running.getApps(0).getImage().getVersion());

    for (Pod p : pods.values()) {
      assertEquals(FLY_NAME, annotation(p.getAnnotationsList(), "jrkt.io/stage1-name"),
          "stage1 of " + p.getId());
      assertFalse(p.getManifest().isEmpty(), "InspectPod returns the manifest");
    }
    assertEquals("true", annotation(exited.getAnnotationsList(), MANAGED));
  }

  @Test
  void listImagesAsTheKubeletLooksThemUp() {
    ImageFilter byTag = ImageFilter.newBuilder().addKeywords("example.com/api-app")
        .addLabels(kv("version", "2.0")).build();
    List<Image> found = api.blocking.listImages(ListImagesRequest.newBuilder()
        .addFilters(byTag).addFilters(byTag.toBuilder().setKeywords(0, "api-app")).build())
        .getImagesList();
    assertEquals(List.of(appV2), found.stream().map(Image::getId).toList());
    assertTrue(found.get(0).getManifest().isEmpty());

    List<Image> bothVersions = new ArrayList<>(api.blocking.listImages(ListImagesRequest
        .newBuilder().setDetail(true).addFilters(ImageFilter.newBuilder()
            .addKeywords("api-app")).build()).getImagesList());
    bothVersions.sort(Comparator.comparingLong(Image::getImportTimestamp).reversed());
    assertEquals(List.of(appV2, appV1), bothVersions.stream().map(Image::getId).toList());
    assertTrue(bothVersions.get(0).getImportTimestamp()
        > bothVersions.get(1).getImportTimestamp());
    assertTrue(bothVersions.get(0).getManifest().toStringUtf8().contains("example.com/api-app"));
    assertTrue(bothVersions.get(0).getSize() > 0);

    List<Image> byBase = api.blocking.listImages(ListImagesRequest.newBuilder()
        .addFilters(ImageFilter.newBuilder().addBaseNames("other")).build()).getImagesList();
    assertEquals(List.of(otherImage), byBase.stream().map(Image::getId).toList());

    Image inspected = api.blocking.inspectImage(InspectImageRequest.newBuilder()
        .setId(appV1).build()).getImage();
    assertEquals("1.0", inspected.getVersion());
    assertEquals("1.0", label(inspected.getLabelsList(), "version"));
  }

  @Test
  void badRequestsGetSpecificErrors() {
    for (String id : List.of("../..", "../../../etc/passwd", "/etc", "", runningPod.substring(0,
        8), "x".repeat(100_000))) {
      assertCode(Status.Code.INVALID_ARGUMENT, () -> api.blocking.inspectPod(
          InspectPodRequest.newBuilder().setId(id).build()));
      assertCode(Status.Code.INVALID_ARGUMENT, () -> api.blocking.getLogs(
          GetLogsRequest.newBuilder().setPodId(id).build()).hasNext());
    }
    String unknown = "00000000-0000-4000-8000-000000000000";
    assertCode(Status.Code.NOT_FOUND, () -> api.blocking.inspectPod(
        InspectPodRequest.newBuilder().setId(unknown).build()));
    assertCode(Status.Code.NOT_FOUND, () -> api.blocking.getLogs(
        GetLogsRequest.newBuilder().setPodId(unknown).build()).hasNext());
    assertCode(Status.Code.NOT_FOUND, () -> api.blocking.inspectImage(
        InspectImageRequest.newBuilder().setId("sha512-" + "ab".repeat(32)).build()));
    assertCode(Status.Code.INVALID_ARGUMENT, () -> api.blocking.inspectImage(
        InspectImageRequest.newBuilder().setId("../cas").build()));
    assertCode(Status.Code.INVALID_ARGUMENT, () -> api.blocking.listPods(ListPodsRequest
        .newBuilder().addFilters(PodFilter.newBuilder().addStatesValue(4711)).build()));
    assertCode(Status.Code.INVALID_ARGUMENT, () -> api.blocking.listenEvents(
        ListenEventsRequest.newBuilder().setFilter(EventFilter.newBuilder()
            .addTypesValue(99)).build()).hasNext());
    assertCode(Status.Code.INVALID_ARGUMENT, () -> api.blocking.getLogs(GetLogsRequest
        .newBuilder().setPodId(exitedPod).setLines(-5).build()).hasNext());
    assertCode(Status.Code.NOT_FOUND, () -> api.blocking.getLogs(GetLogsRequest
        .newBuilder().setPodId(exitedPod).setAppName("no-such-app").build()).hasNext());
    // A huge line count is a valid request.
    assertNotEquals(Status.Code.INVALID_ARGUMENT, code(() -> api.blocking.getLogs(GetLogsRequest
        .newBuilder().setPodId(exitedPod).setLines(Integer.MAX_VALUE).build()).hasNext()));
    // The service is still serving.
    assertEquals(4, api.blocking.listPods(ListPodsRequest.getDefaultInstance()).getPodsCount());
  }

  @Test
  void getLogsSaysClearlyWhyNoLogsCanBeServed() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> api.blocking
        .getLogs(GetLogsRequest.newBuilder().setPodId(exitedPod).setAppName("done")
            .setLines(10).build()).hasNext());
    Status.Code c = e.getStatus().getCode();
    assertTrue(c == Status.Code.UNIMPLEMENTED || c == Status.Code.FAILED_PRECONDITION, e.toString());
    assertTrue(e.getStatus().getDescription().contains(exitedPod), e.toString());
  }

  @Test
  void sixtyFourConcurrentClientsGetAnswersWithoutAThreadExplosion() throws Exception {
    List<ApiClientChannel> clients = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(64);
    try {
      for (int i = 0; i < 64; i++) {
        clients.add(new ApiClientChannel(api.port));
      }
      List<Future<Integer>> results = new ArrayList<>();
      for (ApiClientChannel c : clients) {
        results.add(pool.submit(() -> {
          int n = 0;
          for (int i = 0; i < 20; i++) {
            n += c.stub.listPods(ListPodsRequest.newBuilder().setDetail(true).build())
                .getPodsCount();
            n += c.stub.inspectPod(InspectPodRequest.newBuilder().setId(exitedPod).build())
                .getPod().getAppsCount();
          }
          return n;
        }));
      }
      for (Future<Integer> f : results) {
        assertEquals(20 * (4 + 1), f.get(120, TimeUnit.SECONDS));
      }
      int threads = threadsOf(api.pid());
      assertTrue(threads < 64, "service threads after 64 clients: " + threads);
    } finally {
      pool.shutdownNow();
      for (ApiClientChannel c : clients) {
        c.close();
      }
    }
  }

  @Test
  void listenEventsSeesAPodPreparedRunAndRemoved() throws Exception {
    Map<EventType, Long> seenAt = new ConcurrentHashMap<>();
    List<Event> events = new CopyOnWriteArrayList<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    io.grpc.Context.CancellableContext ctx = io.grpc.Context.current().withCancellation();
    ctx.run(() -> api.async.listenEvents(ListenEventsRequest.newBuilder()
        .setFilter(EventFilter.newBuilder().addNames("evented")).build(),
        new StreamObserver<ListenEventsResponse>() {
          @Override
          public void onNext(ListenEventsResponse r) {
            for (Event e : r.getEventsList()) {
              events.add(e);
              seenAt.putIfAbsent(e.getType(), System.nanoTime());
            }
          }

          @Override
          public void onError(Throwable t) {
            failure.set(t);
          }

          @Override
          public void onCompleted() {}
        }));
    try {
      Thread.sleep(300); // the call is registered before anything happens
      String uuid = jrkt.prepare(List.of("--pod-manifest="
          + podManifest("evented", appV1, false, "")));
      long prepared = System.nanoTime();
      awaitEvent(seenAt, EventType.EVENT_TYPE_POD_PREPARED, failure);
      assertWithinOneSecond(prepared, seenAt.get(EventType.EVENT_TYPE_POD_PREPARED), "prepared");

      jrkt.run("run-prepared", uuid).exits(3);
      long exited = System.nanoTime();
      awaitEvent(seenAt, EventType.EVENT_TYPE_POD_EXITED, failure);
      assertWithinOneSecond(exited, seenAt.get(EventType.EVENT_TYPE_POD_EXITED), "exited");

      jrkt.run("rm", uuid).ok();
      long removed = System.nanoTime();
      awaitEvent(seenAt, EventType.EVENT_TYPE_POD_GARBAGE_COLLECTED, failure);
      assertWithinOneSecond(removed, seenAt.get(EventType.EVENT_TYPE_POD_GARBAGE_COLLECTED),
          "removed");

      List<EventType> types = events.stream().map(Event::getType).toList();
      assertEquals(List.of(EventType.EVENT_TYPE_POD_PREPARED, EventType.EVENT_TYPE_POD_STARTED,
          EventType.EVENT_TYPE_APP_STARTED, EventType.EVENT_TYPE_APP_EXITED,
          EventType.EVENT_TYPE_POD_EXITED, EventType.EVENT_TYPE_POD_GARBAGE_COLLECTED), types);
      assertTrue(events.stream().allMatch(e -> e.getId().equals(uuid)), events.toString());
      Event appExited = events.get(3);
      assertEquals("evented", appExited.getFrom());
      assertEquals("3", appExited.getData(0).getValue(), appExited.toString());
    } finally {
      ctx.cancel(null);
    }
  }

  @Test
  void listenEventsSeesAnImageImportedAndRemoved() throws Exception {
    List<Event> events = new CopyOnWriteArrayList<>();
    io.grpc.Context.CancellableContext ctx = io.grpc.Context.current().withCancellation();
    ctx.run(() -> api.async.listenEvents(ListenEventsRequest.newBuilder()
        .setFilter(EventFilter.newBuilder().addNames("example.org/evented-image")).build(),
        new StreamObserver<ListenEventsResponse>() {
          @Override
          public void onNext(ListenEventsResponse r) {
            events.addAll(r.getEventsList());
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        }));
    try {
      Thread.sleep(300);
      String id = fetchFull(Aci.busybox("example.org/evented-image").write(jrkt.work(),
          "evented.aci"));
      waitFor(() -> events.size() >= 1);
      jrkt.run("image", "rm", id).ok();
      waitFor(() -> events.size() >= 2);
      assertEquals(List.of(EventType.EVENT_TYPE_IMAGE_IMPORTED, EventType.EVENT_TYPE_IMAGE_REMOVED),
          events.stream().map(Event::getType).toList());
      assertEquals(id, events.get(0).getId());
    } finally {
      ctx.cancel(null);
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier done) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!done.getAsBoolean() && System.nanoTime() < deadline) {
      ApiClient.sleep(10);
    }
    assertTrue(done.getAsBoolean(), "no event within 5 s");
  }

  // ---- helpers ----

  private String fetchFull(Path aci) {
    Result r = jrkt.run(Jrkt.INSECURE, "fetch", "--full", aci.toString()).ok();
    return r.lines().get(r.lines().size() - 1);
  }

  private String runManifest(Path manifest, int exitCode) {
    Path uuidFile = jrkt.work().resolve("uuid-" + manifest.getFileName());
    jrkt.run(Jrkt.INSECURE, "run", Jrkt.FLY, "--uuid-file-save=" + uuidFile,
        "--pod-manifest=" + manifest).exits(exitCode);
    return ApiClient.read(uuidFile).trim();
  }

  private String awaitRunning(Path uuidFile) {
    for (int i = 0; i < 600; i++) {
      String uuid = ApiClient.read(uuidFile).trim();
      if (Ids.isUuid(uuid) && "running".equals(status(uuid).get("state"))) {
        return uuid;
      }
      ApiClient.sleep(50);
    }
    throw new AssertionError("the long-running pod did not start");
  }

  private Path podManifest(String app, String imageId, boolean managed, String podUid) {
    String annotations = managed ? "[{\"name\":\"" + MANAGED + "\",\"value\":\"true\"},"
        + "{\"name\":\"" + POD_UID + "\",\"value\":\"" + podUid + "\"}]" : "null";
    String json = "{\"acKind\":\"PodManifest\",\"acVersion\":\"0.8.11\",\"apps\":[{\"name\":\""
        + app + "\",\"image\":{\"id\":\"" + imageId + "\"},\"annotations\":[{\"name\":"
        + "\"io.kubernetes.container.hash\",\"value\":\"1234\"}]}],"
        + "\"volumes\":null,\"isolators\":null,\"annotations\":" + annotations
        + ",\"ports\":null}";
    return Aci.writeBytes(jrkt.work().resolve("pod-" + app + ".json"), json.getBytes());
  }

  private static void awaitEvent(Map<EventType, Long> seen, EventType type,
      AtomicReference<Throwable> failure) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!seen.containsKey(type) && System.nanoTime() < deadline && failure.get() == null) {
      ApiClient.sleep(10);
    }
    if (failure.get() != null) {
      throw new AssertionError("ListenEvents failed", failure.get());
    }
    assertTrue(seen.containsKey(type), "no " + type + " within 10 s; seen " + seen.keySet());
  }

  private static void assertWithinOneSecond(long done, long seen, String what) {
    long ms = TimeUnit.NANOSECONDS.toMillis(seen - done);
    assertTrue(ms <= 1000, what + " event came " + ms + " ms after the command returned");
  }

  private static void assertCode(Status.Code want, Runnable call) {
    assertEquals(want, code(call));
  }

  private static Status.Code code(Runnable call) {
    try {
      call.run();
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  private static int threadsOf(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("Threads:")) {
        return Integer.parseInt(line.substring(8).trim());
      }
    }
    throw new AssertionError("no thread count for " + pid);
  }

  private static int[] semver(String v) {
    String[] p = v.split("[.+-]");
    return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(v).build();
  }

  private static String annotation(List<KeyValue> kvs, String key) {
    return kvs.stream().filter(a -> a.getKey().equals(key)).map(KeyValue::getValue)
        .findFirst().orElse(null);
  }

  private static String label(List<KeyValue> kvs, String key) {
    return annotation(kvs, key);
  }

  private static List<String> ids(List<Pod> pods) {
    return pods.stream().map(Pod::getId).toList();
  }

  private static List<String> sorted(String... ids) {
    return Set.of(ids).stream().sorted().collect(Collectors.toList());
  }

  /** One more client connection. */
  private static final class ApiClientChannel implements AutoCloseable {
    final io.grpc.ManagedChannel channel;
    final PublicAPIGrpc.PublicAPIBlockingStub stub;

    ApiClientChannel(int port) {
      channel = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder
          .forAddress("127.0.0.1", port).usePlaintext().build();
      stub = PublicAPIGrpc.newBlockingStub(channel);
    }

    @Override
    public void close() {
      channel.shutdownNow();
    }
  }
}
