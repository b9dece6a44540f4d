package io.jrkt.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.jrkt.api.v1alpha.GetLogsRequest;
import io.jrkt.api.v1alpha.GetLogsResponse;
import io.jrkt.api.v1alpha.PublicAPIGrpc;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GetLogs over a real loopback server, with a scripted log source behind the seam. */
class GetLogsTest {
  private static final String POD = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
  private static final String MANIFEST = "{\"acKind\":\"PodManifest\",\"acVersion\":\"0.8.11\","
      + "\"apps\":[{\"name\":\"web\",\"image\":{\"id\":\"sha512-" + "ab".repeat(32) + "\"}}]}";

  @TempDir
  Path data;
  private ApiService service;
  private ManagedChannel channel;

  private PublicAPIGrpc.PublicAPIBlockingStub start(PodLogSource source) throws Exception {
    Path pod = data.resolve("pods").resolve("run").resolve(POD);
    Files.createDirectories(pod);
    Files.writeString(pod.resolve("pod"), MANIFEST);
    service = new ApiService(new ApiConfig(data, "/usr/lib/rkt", "/etc/rkt", "", "none", false,
        "1.30.0"), source, ZoneId.of("UTC"));
    InetSocketAddress a = service.listen(new InetSocketAddress("127.0.0.1", 0));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", a.getPort()).usePlaintext().build();
    return PublicAPIGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (service != null) {
      service.close();
    }
  }

  @Test
  void linesInRktsShapeAndTheQueryAsAsked() throws Exception {
    AtomicReference<PodLogSource.Query> asked = new AtomicReference<>();
    PublicAPIGrpc.PublicAPIBlockingStub api = start((q, sink) -> {
      asked.set(q);
      sink.accept(new PodLogSource.Entry(Instant.parse("2016-05-18T08:07:35.312345Z"), "web",
          "hello"));
      sink.accept(new PodLogSource.Entry(Instant.parse("2016-05-18T08:07:36Z"), "web", "bye"));
    });
    Iterator<GetLogsResponse> it = api.getLogs(GetLogsRequest.newBuilder().setPodId(POD)
        .setAppName("web").setLines(10).setSinceTime(1000).setUntilTime(2000).build());
    List<String> lines = new ArrayList<>();
    it.forEachRemaining(r -> lines.addAll(r.getLinesList()));
    assertEquals(List.of("2016-05-18 08:07:35.312345 +0000 UTC MESSAGE=hello",
        "2016-05-18 08:07:36 +0000 UTC MESSAGE=bye"), lines);
    PodLogSource.Query q = asked.get();
    assertEquals(POD, q.pod().value());
    assertEquals(Optional.of("web"), q.app());
    assertEquals(10, q.lines().getAsInt());
    assertEquals(Instant.ofEpochSecond(1000), q.since().get());
    assertEquals(Instant.ofEpochSecond(2000), q.until().get(), "until_time is honoured");
  }

  @Test
  void followStreamsUntilTheClientGoes() throws Exception {
    CountDownLatch stopped = new CountDownLatch(1);
    PublicAPIGrpc.PublicAPIBlockingStub api = start((q, sink) -> {
      try {
        for (int i = 0; ; i++) {
          if (!sink.accept(new PodLogSource.Entry(Instant.ofEpochSecond(i), "web", "n" + i))) {
            return;
          }
          Thread.sleep(20);
        }
      } finally {
        stopped.countDown();
      }
    });
    Context.CancellableContext ctx = Context.current().withCancellation();
    List<String> got = new ArrayList<>();
    ctx.run(() -> {
      Iterator<GetLogsResponse> it = api.getLogs(GetLogsRequest.newBuilder().setPodId(POD)
          .setFollow(true).build());
      while (got.size() < 3) {
        got.addAll(it.next().getLinesList());
      }
    });
    ctx.cancel(null);
    assertTrue(got.get(0).endsWith(" MESSAGE=n0"), got.toString());
    assertTrue(stopped.await(5, TimeUnit.SECONDS), "the source stops once the client left");
  }

  @Test
  void noLogSourceIsUnimplementedAndAPodWithoutLogsAFailedPrecondition() throws Exception {
    PublicAPIGrpc.PublicAPIBlockingStub api = start(PodLogSource.none());
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> api.getLogs(GetLogsRequest.newBuilder().setPodId(POD).build()).hasNext());
    assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains(POD), e.toString());
    stop();

    PublicAPIGrpc.PublicAPIBlockingStub api2 = start((q, sink) -> {
      throw new PodLogSource.LogsUnavailableException("pod " + q.pod()
          + " keeps no logs: its stage1 has no journal", false);
    });
    e = assertThrows(StatusRuntimeException.class,
        () -> api2.getLogs(GetLogsRequest.newBuilder().setPodId(POD).build()).hasNext());
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
  }
}
