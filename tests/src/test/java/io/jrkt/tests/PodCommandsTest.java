package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** prepare, run-prepared, list, status, cat-manifest, rm and gc on fly pods. */
class PodCommandsTest extends FunctionalTest {
  private Aci image;
  private Path imageFile;

  @BeforeAll
  void fetchImage() {
    image = Aci.busybox("example.com/podcmd").version("1.2.3")
        .shell("echo ran-prepared; exit \"${CODE:-0}\"");
    imageFile = image.write(jrkt.work(), "podcmd.aci");
    jrkt.fetch(imageFile);
  }

  @Test
  void prepareQuietPrintsOnlyTheUuidAndRunPreparedRunsIt() {
    String uuid = jrkt.prepare(List.of(imageFile.toString(), "--environment=CODE=4"));
    assertEquals("prepared", status(uuid).get("state"));
    assertTrue(jrkt.podDirs().contains("prepared/" + uuid), jrkt.podDirs().toString());

    Result r = jrkt.run("run-prepared", uuid);

    r.exits(4);
    assertEquals(List.of("ran-prepared"), r.lines(), r.toString());
    assertExited(uuid, 4);
    assertTrue(jrkt.podDirs().contains("run/" + uuid), jrkt.podDirs().toString());
  }

  @Test
  void runPreparedOfARunPodIsRefused() {
    String uuid = jrkt.runPod(List.of(imageFile.toString())).requireUuid();

    jrkt.run("run-prepared", uuid).rejected();

    assertExited(uuid, 0);
  }

  @Test
  void listShowsOneRowPerPodWithTheDocumentedColumns() {
    String exited = jrkt.runPod(List.of(imageFile.toString())).requireUuid();
    String prepared = jrkt.prepare(List.of(imageFile.toString()));

    List<String> table = jrkt.run("list").ok().lines();
    List<String> header = Ids.cells(table.get(0));
    assertEquals(List.of("UUID", "APP", "IMAGE NAME", "STATE", "CREATED", "STARTED", "NETWORKS"),
        header, table.get(0));
    // Times may tick between the two calls; the other columns may not change.
    assertEquals(firstColumns(table.subList(1, table.size())),
        firstColumns(jrkt.run("list", "--no-legend").ok().lines()));

    List<String> exitedRow = row(table, exited.substring(0, 8));
    assertEquals(exited.substring(0, 8), exitedRow.get(0));
    assertEquals("podcmd", exitedRow.get(1));
    assertEquals("example.com/podcmd:1.2.3", exitedRow.get(2));
    assertEquals("exited", exitedRow.get(3));
    List<String> preparedRow = row(table, prepared.substring(0, 8));
    assertEquals("prepared", preparedRow.get(3));

    List<String> full = jrkt.run("list", "--full").ok().lines();
    assertEquals(List.of("UUID", "APP", "IMAGE NAME", "IMAGE ID", "STATE", "CREATED", "STARTED",
        "NETWORKS"), Ids.cells(full.get(0)), full.get(0));
    List<String> fullRow = row(full, exited);
    assertEquals(exited, fullRow.get(0));
    assertEquals(image.imageId().substring(0, 19), fullRow.get(3));
    assertEquals("exited", fullRow.get(4));
  }

  private static List<List<String>> firstColumns(List<String> rows) {
    return rows.stream().map(r -> Ids.cells(r).subList(0, 4)).toList();
  }

  private static List<String> row(List<String> table, String uuidOrPrefix) {
    return table.stream().filter(l -> l.startsWith(uuidOrPrefix + "\t")).findFirst()
        .map(Ids::cells)
        .orElseThrow(() -> new AssertionError("no row for " + uuidOrPrefix + " in " + table));
  }

  @Test
  void listJsonHasThePodAndAppFields() {
    String uuid = jrkt.runPod(List.of(imageFile.toString(), "--environment=CODE=6"))
        .requireUuid();

    Result r = jrkt.run("list", "--format=json").ok();

    List<Object> pods = MiniJson.array(MiniJson.parse(r.out()));
    Map<String, Object> pod = pods.stream().map(MiniJson::object)
        .filter(p -> uuid.equals(p.get("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("pod " + uuid + " not in " + r.out()));
    assertEquals("exited", pod.get("state"));
    assertInstanceOf(Long.class, pod.get("created_at"), pod.toString());
    assertInstanceOf(Long.class, pod.get("started_at"), pod.toString());
    long createdSeconds = (Long) pod.get("created_at");
    long now = System.currentTimeMillis() / 1000;
    assertTrue(createdSeconds > now - 3600 && createdSeconds <= now + 5,
        "created_at is in seconds since the epoch: " + createdSeconds);
    Map<String, Object> app = MiniJson.object(MiniJson.array(pod.get("apps")).get(0));
    assertEquals("podcmd", app.get("name"));
    assertEquals("exited", app.get("state"));
    assertEquals(6L, app.get("exit_code"));
    assertEquals(image.imageId(), app.get("image_id"));

    Object pretty = MiniJson.parse(jrkt.run("list", "--format=json-pretty").ok().out());
    assertEquals(pods.size(), MiniJson.array(pretty).size());
  }

  @Test
  void statusPrintsStateTimesAndAppExitCodes() {
    String uuid = jrkt.runPod(List.of(imageFile.toString(), "--environment=CODE=5"))
        .requireUuid();

    List<String> lines = jrkt.run("status", uuid.substring(0, 8)).ok().lines();

    Map<String, String> status = Ids.keyValues(lines);
    assertEquals("state", lines.get(0).split("=")[0], lines.toString());
    assertEquals("exited", status.get("state"));
    assertNotNull(status.get("created"), lines.toString());
    assertTrue(status.get("created").matches(
        "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d+)? [-+]\\d{4} \\S+"),
        "created uses Go's layout: " + status.get("created"));
    assertNotNull(status.get("started"), lines.toString());
    assertEquals("true", status.get("exited"));
    assertEquals("5", status.get("app-podcmd"));

    Map<String, Object> json = MiniJson.object(MiniJson.parse(
        jrkt.run("status", "--format=json", uuid).ok().out()));
    assertEquals(uuid, json.get("name"));
    assertEquals("exited", json.get("state"));
  }

  @Test
  void catManifestPrintsThePodManifest() {
    String uuid = jrkt.runPod(List.of(imageFile.toString())).requireUuid();

    Result pretty = jrkt.run("cat-manifest", uuid).ok();
    Result compact = jrkt.run("cat-manifest", "--pretty-print=false", uuid).ok();

    Map<String, Object> manifest = MiniJson.object(MiniJson.parse(pretty.out()));
    assertEquals("PodManifest", manifest.get("acKind"));
    Map<String, Object> app = MiniJson.object(MiniJson.array(manifest.get("apps")).get(0));
    assertEquals("podcmd", app.get("name"));
    assertEquals(image.imageId(), MiniJson.object(app.get("image")).get("id"));
    assertTrue(pretty.out().contains("\n\t\""), "pretty-printed with tabs:\n" + pretty.out());
    assertEquals(1, compact.lines().size(), compact.toString());
    assertEquals(manifest, MiniJson.parse(compact.out()));
  }

  @Test
  void rmRemovesExitedAndPreparedPods() {
    String exited = jrkt.runPod(List.of(imageFile.toString())).requireUuid();
    String prepared = jrkt.prepare(List.of(imageFile.toString()));

    Result r = jrkt.run("rm", exited, prepared).ok();

    assertEquals(List.of("\"" + exited + "\"", "\"" + prepared + "\""), r.lines(), r.toString());
    assertFalse(jrkt.podDirs().stream().anyMatch(p -> p.endsWith(exited) || p.endsWith(prepared)),
        jrkt.podDirs().toString());
    jrkt.run("status", exited).rejected();
    jrkt.run("rm", exited).rejected();
  }

  @Test
  void gcMarksExitedPodsThenCollectsThem() {
    String uuid = jrkt.runPod(List.of(imageFile.toString())).requireUuid();
    String prepared = jrkt.prepare(List.of(imageFile.toString()));

    jrkt.run("gc", "--mark-only").ok();

    assertTrue(jrkt.podDirs().contains("exited-garbage/" + uuid), jrkt.podDirs().toString());
    assertEquals("exited garbage", status(uuid).get("state"));
    assertEquals("0", status(uuid).get("app-podcmd"), "exit codes survive the gc mark");
    assertTrue(jrkt.podDirs().contains("prepared/" + prepared),
        "a fresh prepared pod is not collected: " + jrkt.podDirs());

    Result r = jrkt.run("gc", "--grace-period=0s").ok();

    assertTrue(r.out().contains("Garbage collecting pod \"" + uuid + "\""), r.toString());
    assertFalse(jrkt.podDirs().stream().anyMatch(p -> p.endsWith(uuid)), jrkt.podDirs().toString());
    assertTrue(jrkt.podDirs().contains("prepared/" + prepared), jrkt.podDirs().toString());
    assertEquals(List.of(), jrkt.mountsBelowRoot().stream()
        .filter(m -> m.contains(uuid)).toList(), "gc leaves no mounts of the pod");

    jrkt.run("gc", "--grace-period=0s", "--expire-prepared=0s").ok();
    assertFalse(jrkt.podDirs().stream().anyMatch(p -> p.endsWith(prepared)),
        jrkt.podDirs().toString());
  }

  @Test
  void aRunPodLeavesNoMountsBehindAfterGc() {
    String uuid = jrkt.runPod(List.of(imageFile.toString())).requireUuid();

    jrkt.run("gc", "--grace-period=0s").ok();

    assertEquals(List.of(), jrkt.mountsBelowRoot().stream().filter(m -> m.contains(uuid))
        .toList());
  }
}
