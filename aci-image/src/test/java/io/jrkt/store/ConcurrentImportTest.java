package io.jrkt.store;

import static io.jrkt.store.StoreTestSupport.entries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.aci.Compression;
import io.jrkt.aci.TestAci;
import io.jrkt.aci.TreeHash;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several threads and several processes importing at once; processes killed mid-import. */
class ConcurrentImportTest {
  @TempDir Path tmp;

  private Path image(String name, int files, int fileSize) throws Exception {
    Random random = new Random(42);
    TestAci aci = TestAci.image(name).dir("rootfs/data", 0755);
    for (int i = 0; i < files; i++) {
      byte[] b = new byte[fileSize];
      random.nextBytes(b);
      aci.file("rootfs/data/f" + i, b, 0644, 0, 0);
    }
    return aci.write(tmp.resolve("img.aci"), Compression.GZIP);
  }

  private static void assertSingleCompleteImage(Path data, String id) throws Exception {
    Path cas = data.resolve("cas");
    try (ImageStore store = ImageStore.open(data)) {
      assertEquals(List.of(id), store.list().stream().map(i -> i.id().value()).toList());
      TreeRef t = store.tree(store.list().get(0).id());
      assertEquals(List.of(t.treeStoreId()), entries(cas.resolve("tree")));
      assertEquals(Files.readString(t.dir().resolve("hash")), TreeHash.compute(t.dir()));
    }
    assertEquals(List.of(id), entries(cas.resolve("imageinfo")));
    assertEquals(List.of(id), entries(cas.resolve("blob/sha512/" + id.substring(7, 9))));
    assertEquals(List.of(), entries(cas.resolve("tmp")));
  }

  @Test
  void threadsImportingTheSameImageEndWithOneEntry() throws Exception {
    Path file = image("example.com/threads", 50, 20_000);
    Path data = tmp.resolve("data");
    int n = 4;
    CyclicBarrier start = new CyclicBarrier(n);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<String>> ids = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ids.add(pool.submit(() -> {
          try (ImageStore store = ImageStore.open(data)) {
            start.await();
            return store.importAci(file).id().value();
          }
        }));
      }
      Set<String> distinct = new java.util.HashSet<>();
      for (Future<String> f : ids) {
        distinct.add(f.get(2, TimeUnit.MINUTES));
      }
      assertEquals(1, distinct.size());
      assertSingleCompleteImage(data, distinct.iterator().next());
    } finally {
      pool.shutdownNow();
    }
  }

  private static Process importProcess(Path data, Path file) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ImportAciMain.class.getName(), data.toString(), file.toString())
        .redirectErrorStream(true).start();
  }

  @Test
  void processesImportingTheSameImageEndWithOneEntry() throws Exception {
    Path file = image("example.com/processes", 200, 20_000);
    Path data = tmp.resolve("data");
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ps.add(importProcess(data, file));
    }
    Set<String> ids = new java.util.HashSet<>();
    for (Process p : ps) {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(2, TimeUnit.MINUTES));
      assertEquals(0, p.exitValue(), out);
      String[] lines = out.strip().split("\n");
      ids.add(lines[lines.length - 1]);
    }
    assertEquals(1, ids.size(), ids.toString());
    assertSingleCompleteImage(data, ids.iterator().next());
  }

  /**
   * kill -9 at several moments of an import: whatever the store then lists must be complete
   * (blob hashing to the id, tree rendered and matching its hash); gc clears the rest.
   */
  @Test
  void killedImportsNeverLeaveAnIncompleteImageListed() throws Exception {
    Path file = image("example.com/killed", 400, 40_000);
    Path data = tmp.resolve("data");
    long[] delaysMs = {0, 60, 150, 300, 500, 800, 1200};
    for (long delay : delaysMs) {
      Process p = importProcess(data, file);
      BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8));
      assertEquals("ready", r.readLine());
      Thread.sleep(delay);
      p.destroyForcibly();
      assertTrue(p.waitFor(1, TimeUnit.MINUTES));
      try (ImageStore store = ImageStore.open(data)) {
        for (ImageInfo info : store.list()) {
          MessageDigest md = MessageDigest.getInstance("SHA-512");
          try (InputStream in = store.openBlob(info.id())) {
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
              md.update(buf, 0, n);
            }
          }
          assertEquals(info.id(), io.jrkt.appc.ImageId.ofSha512(md.digest()));
          TreeRef t = store.tree(info.id());
          assertEquals(Files.readString(t.dir().resolve("hash")), TreeHash.compute(t.dir()),
              "killed after " + delay + " ms");
        }
        store.gc(Duration.ofDays(1), Set.of(), Duration.ZERO);
        assertEquals(List.of(), entries(data.resolve("cas/tmp")));
        for (String tree : entries(data.resolve("cas/tree"))) {
          assertTrue(Files.exists(data.resolve("cas/tree").resolve(tree).resolve("rendered")));
        }
      }
    }
    Process p = importProcess(data, file);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), out);
    String[] lines = out.strip().split("\n");
    assertSingleCompleteImage(data, lines[lines.length - 1]);
  }
}
