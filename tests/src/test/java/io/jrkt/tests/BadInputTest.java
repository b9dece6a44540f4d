package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad UUIDs, bad pod manifests and bad flags: one-line errors, exit 254, nothing changed. */
class BadInputTest extends FunctionalTest {
  private Aci image;
  private Path imageFile;

  @BeforeAll
  void fetchImage() {
    image = Aci.busybox("example.com/badinput");
    imageFile = image.write(jrkt.work(), "badinput.aci");
    jrkt.fetch(imageFile);
    // A good pod first, so that every directory a first run creates already exists.
    jrkt.runPod(List.of(imageFile.toString())).result().ok();
  }

  @Test
  void unknownUuidPrefixIsRefused() {
    String prepared = jrkt.prepare(List.of(imageFile.toString()));
    String unknown = prepared.charAt(0) == 'f' ? "00000000" : "ffffffff";
    List<String> before = jrkt.snapshot();

    for (List<String> cmd : List.of(List.of("status", unknown), List.of("cat-manifest", unknown),
        List.of("rm", unknown), List.of("run-prepared", unknown),
        List.of("status", "00000000-0000-0000-0000-000000000000"),
        List.of("status", "not-a-uuid"))) {
      jrkt.run(cmd).rejected();
    }
    assertEquals(before, jrkt.snapshot());
  }

  @Test
  void ambiguousUuidPrefixIsRefusedAndTouchesNoPod() {
    Map<Character, List<String>> byFirst = new HashMap<>();
    List<String> twins = null;
    for (int i = 0; i < 17 && twins == null; i++) {
      String uuid = jrkt.prepare(List.of(imageFile.toString()));
      List<String> same = byFirst.computeIfAbsent(uuid.charAt(0), c -> new ArrayList<>());
      same.add(uuid);
      if (same.size() == 2) {
        twins = same;
      }
    }
    assertTrue(twins != null, "17 UUIDs share a first hex digit");
    String prefix = twins.get(0).substring(0, 1);
    List<String> before = jrkt.snapshot();

    for (String cmd : List.of("status", "cat-manifest", "rm", "run-prepared")) {
      jrkt.run(cmd, prefix).rejected();
    }

    assertEquals(before, jrkt.snapshot());
    assertEquals("prepared", status(twins.get(0)).get("state"));
    assertEquals("prepared", status(twins.get(1)).get("state"));
  }

  @Test
  void podManifestReferencingAMissingImageIsRefused() {
    String missing = "sha512-" + "0123456789abcdef".repeat(4);
    Path manifest = Aci.writeBytes(jrkt.work().resolve("missing-image.json"),
        podManifestFor(missing).getBytes());
    List<String> before = jrkt.snapshot();

    jrkt.run(Jrkt.INSECURE, "run", Jrkt.FLY, "--pod-manifest=" + manifest).rejected();
    jrkt.run(Jrkt.INSECURE, "prepare", Jrkt.FLY, "--pod-manifest=" + manifest).rejected();

    assertEquals(before, jrkt.snapshot());
  }

  @Test
  void podManifestReferencingAStoredImageRuns() {
    Path manifest = Aci.writeBytes(jrkt.work().resolve("stored-image.json"),
        podManifestFor(image.imageId()).getBytes());

    Result r = jrkt.run(Jrkt.INSECURE, "run", Jrkt.FLY, "--pod-manifest=" + manifest);

    r.exits(7);
    assertEquals(List.of("from a pod manifest"), r.lines(), r.toString());
  }

  @Test
  void podManifestThatIsNotJsonIsRefused() {
    Path manifest = Aci.writeBytes(jrkt.work().resolve("broken.json"), "{\"acKind\":".getBytes());
    List<String> before = jrkt.snapshot();

    jrkt.run(Jrkt.INSECURE, "run", Jrkt.FLY, "--pod-manifest=" + manifest).rejected();

    assertEquals(before, jrkt.snapshot());
  }

  private static String podManifestFor(String imageId) {
    return "{\"acKind\":\"PodManifest\",\"acVersion\":\"0.8.11\",\"apps\":[{\"name\":\"app\","
        + "\"image\":{\"id\":\"" + imageId + "\"},\"app\":{\"exec\":[\"/bin/sh\",\"-c\","
        + "\"echo from a pod manifest; exit 7\"],\"user\":\"0\",\"group\":\"0\"}}],"
        + "\"volumes\":null,\"isolators\":null,\"annotations\":null,\"ports\":null}";
  }

  @Test
  void fullImageIdDifferingFromTheStoredOneInTheLastDigitIsRefused() {
    String id = image.imageId();
    char last = id.charAt(id.length() - 1);
    String wrong = id.substring(0, id.length() - 1) + (last == 'a' ? 'b' : 'a');
    List<String> before = jrkt.snapshot();

    jrkt.run(Jrkt.INSECURE, "run", Jrkt.FLY, wrong).rejected();
    jrkt.run(Jrkt.INSECURE, "prepare", Jrkt.FLY, wrong).rejected();
    jrkt.run("image", "cat-manifest", wrong).rejected();
    jrkt.run("image", "export", wrong, jrkt.work().resolve("wrong.aci").toString()).rejected();
    jrkt.run("image", "rm", wrong).exits(Result.FAILURE);

    assertEquals(before, jrkt.snapshot());
  }

  @Test
  void hundredTwentyEightHexIdWithAWrongSecondHalfIsRefused() {
    String full128 = Aci.fullSha512(image.tar());
    char last = full128.charAt(full128.length() - 1);
    String wrong = full128.substring(0, full128.length() - 1) + (last == 'a' ? 'b' : 'a');
    List<String> before = jrkt.snapshot();

    jrkt.run(Jrkt.INSECURE, "run", Jrkt.FLY, wrong).rejected();
    jrkt.run(Jrkt.INSECURE, "prepare", Jrkt.FLY, wrong).rejected();
    jrkt.run("image", "cat-manifest", wrong).rejected();

    assertEquals(before, jrkt.snapshot());
  }

  @Test
  void unsupportedArchIsRefusedByRun() {
    Path file = Aci.busybox("example.com/pdp11").label("arch", "pdp11")
        .write(jrkt.work(), "pdp11.aci");
    List<String> podsBefore = jrkt.podDirs();

    jrkt.run(Jrkt.INSECURE, "run", Jrkt.FLY, file.toString()).rejected();

    assertEquals(podsBefore, jrkt.podDirs());
  }

  static Stream<Arguments> badFlags() {
    return Stream.of(
        Arguments.of(List.of("run", "--no-such-flag", "example.com/badinput")),
        Arguments.of(List.of("run")),
        Arguments.of(List.of("run", "--pull-policy=sometimes", "example.com/badinput")),
        Arguments.of(List.of("run", "--stage1-name=a", "--stage1-path=/b", "example.com/badinput")),
        Arguments.of(List.of("prepare", "--quiet=maybe", "example.com/badinput")),
        Arguments.of(List.of("list", "--format=xml")),
        Arguments.of(List.of("gc", "--grace-period=soon")),
        Arguments.of(List.of("gc", "--expire-prepared=-")),
        Arguments.of(List.of("fetch", "--pull-policy=sometimes", "example.com/badinput")),
        Arguments.of(List.of("--insecure-options=everything", "list")),
        Arguments.of(List.of("image", "list", "--sort=colour")),
        Arguments.of(List.of("image", "list", "--fields=id,colour")),
        Arguments.of(List.of("status")),
        Arguments.of(List.of("status", "--wait=forever-ish", "00000000")),
        Arguments.of(List.of("image", "rm")),
        Arguments.of(List.of("rm")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFlags")
  void badFlagsAreRefused(List<String> args) {
    List<String> before = jrkt.snapshot();

    jrkt.run(args).rejected();

    assertEquals(before, jrkt.snapshot());
  }
}
