package io.jrkt.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.jrkt.api.v1alpha.KeyValue;
import io.jrkt.api.v1alpha.Pod;
import io.jrkt.api.v1alpha.PodFilter;
import io.jrkt.pod.PodStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listing cache: reused while the state directories are unchanged, never hiding a change. */
class PodCatalogTest {
  private static final String A = "0a000000-0000-4000-8000-000000000001";
  private static final String B = "0b000000-0000-4000-8000-000000000002";
  private static final String C = "0c000000-0000-4000-8000-000000000003";

  @TempDir
  Path data;
  private Path prepared;
  private PodCatalog catalog;

  @BeforeEach
  void setUp() throws IOException {
    prepared = Files.createDirectories(data.resolve("pods").resolve("prepared"));
    catalog = new PodCatalog(new PodStore(data));
  }

  @Test
  void aNewOrRemovedPodShowsInTheNextCall() throws Exception {
    prepare(A, "uid-a");
    age(); // The directories changed long ago: the listing may be reused.
    List<Pod> first = catalog.list(true, List.of());
    assertEquals(List.of(A), ids(first));
    assertSame(first.get(0), catalog.list(true, List.of()).get(0));

    prepare(B, "uid-b");
    age(); // Another old mtime: the marker moved, so the entries are read again.
    assertEquals(List.of(A, B), ids(catalog.list(true, List.of())));

    delete(prepared.resolve(A));
    assertEquals(List.of(B), ids(catalog.list(true, List.of())));
    assertEquals(List.of(B), ids(catalog.list(false, List.of())));
  }

  @Test
  void aChangeWithinTheSameTimestampTickIsNotMissed() throws Exception {
    prepare(A, "uid-a");
    // A directory changed just now may change again without its mtime moving (coarse clock).
    FileTime recent = FileTime.from(Instant.now().minusMillis(100));
    Files.setLastModifiedTime(prepared, recent);
    assertEquals(List.of(A), ids(catalog.list(true, List.of())));
    prepare(C, "uid-c");
    Files.setLastModifiedTime(prepared, recent);
    assertEquals(List.of(A, C), ids(catalog.list(true, List.of())));
  }

  @Test
  void filtersApplyToTheCachedListing() throws Exception {
    prepare(A, "uid-a");
    prepare(B, "uid-b");
    age();
    PodFilter kubelet = PodFilter.newBuilder()
        .addAnnotations(KeyValue.newBuilder().setKey("managed").setValue("true"))
        .addAnnotations(KeyValue.newBuilder().setKey("uid").setValue("uid-b")).build();
    for (int i = 0; i < 2; i++) {
      assertEquals(List.of(B), ids(catalog.list(true, List.of(kubelet))));
    }
    PodFilter none = kubelet.toBuilder().setAnnotations(1,
        KeyValue.newBuilder().setKey("uid").setValue("uid-x")).build();
    assertEquals(List.of(), ids(catalog.list(true, List.of(none))));
    assertEquals(List.of(B), ids(catalog.list(true, List.of(none, kubelet))));
  }

  /** What prepare does: the pod directory appears in prepared/ by a rename. */
  private void prepare(String uuid, String uid) throws IOException {
    Path tmp = Files.createDirectories(data.resolve("pods").resolve("tmp-" + uuid));
    Files.writeString(tmp.resolve("pod"), "{\"acKind\":\"PodManifest\",\"acVersion\":\"0.8.11\","
        + "\"apps\":[{\"name\":\"web\",\"image\":{\"id\":\"sha512-" + "cd".repeat(32) + "\"}}],"
        + "\"annotations\":[{\"name\":\"managed\",\"value\":\"true\"},"
        + "{\"name\":\"uid\",\"value\":\"" + uid + "\"}]}");
    Files.move(tmp, prepared.resolve(uuid));
  }

  /** Makes every state directory's last change older than the timestamp granularity margin. */
  private void age() throws IOException {
    FileTime old = FileTime.from(Instant.now().minusSeconds(60));
    Files.setLastModifiedTime(prepared, old);
  }

  private static void delete(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static List<String> ids(List<Pod> pods) {
    return pods.stream().map(Pod::getId).toList();
  }
}
