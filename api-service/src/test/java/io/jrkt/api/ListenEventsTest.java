package io.jrkt.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.jrkt.api.v1alpha.EventFilter;
import io.jrkt.api.v1alpha.EventType;
import io.jrkt.api.v1alpha.ListenEventsRequest;
import io.jrkt.api.v1alpha.ListenEventsResponse;
import io.jrkt.api.v1alpha.PublicAPIGrpc;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ListenEvents over loopback against a data directory changed by hand. */
class ListenEventsTest {
  private static final String POD = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d";

  @TempDir
  Path data;
  private ApiService service;
  private ManagedChannel channel;

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
  void aPreparedPodIsReportedAndTheStreamEndsAtUntilTime() throws Exception {
    Files.createDirectories(data.resolve("pods").resolve("prepared"));
    service = new ApiService(new ApiConfig(data, "/usr/lib/rkt", "/etc/rkt", "", "none", false,
        "1.30.0"), PodLogSource.none(), ZoneId.of("UTC"));
    InetSocketAddress a = service.listen(new InetSocketAddress("127.0.0.1", 0));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", a.getPort()).usePlaintext().build();
    long until = System.currentTimeMillis() / 1000 + 2;
    Iterator<ListenEventsResponse> it = PublicAPIGrpc.newBlockingStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS).listenEvents(ListenEventsRequest.newBuilder()
            .setFilter(EventFilter.newBuilder().addIds(POD).setUntilTime(until)).build());
    Thread.sleep(200);
    // What prepare does: the pod directory appears in prepared/ by a rename.
    Path tmp = data.resolve("pods").resolve("prepare-tmp");
    Files.createDirectories(tmp);
    Files.writeString(tmp.resolve("pod"), "{\"acKind\":\"PodManifest\",\"acVersion\":\"0.8.11\","
        + "\"apps\":[{\"name\":\"web\",\"image\":{\"id\":\"sha512-" + "cd".repeat(32) + "\"}}]}");
    long moved = System.nanoTime();
    Files.move(tmp, data.resolve("pods").resolve("prepared").resolve(POD));

    List<EventType> types = new ArrayList<>();
    assertTrue(it.hasNext());
    ListenEventsResponse first = it.next();
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - moved);
    first.getEventsList().forEach(e -> types.add(e.getType()));
    assertEquals(List.of(EventType.EVENT_TYPE_POD_PREPARED), types);
    assertEquals("web", first.getEvents(0).getFrom());
    assertTrue(ms < 1000, "event after " + ms + " ms");
    while (it.hasNext()) {
      it.next();
    }
    assertFalse(System.currentTimeMillis() / 1000 < until, "the stream ended at until_time");
  }
}
