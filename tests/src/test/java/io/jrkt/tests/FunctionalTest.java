package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** Base of the functional tests: one harness, and so one data dir, per test class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FunctionalTest {
  Jrkt jrkt;

  @BeforeAll
  void createHarness() {
    jrkt = Jrkt.create(getClass());
  }

  @AfterAll
  void closeHarness() {
    if (jrkt != null) {
      jrkt.close();
    }
  }

  /** The pod manifest of a pod, as printed by {@code cat-manifest}. */
  Map<String, Object> podManifest(String uuid) {
    Result r = jrkt.run("cat-manifest", uuid).ok();
    return MiniJson.object(MiniJson.parse(r.out()));
  }

  /** The names of a pod's apps, from its pod manifest. */
  List<String> appNames(String uuid) {
    return MiniJson.array(podManifest(uuid).get("apps")).stream()
        .map(a -> (String) MiniJson.object(a).get("name")).toList();
  }

  /** {@code status} of a pod as key/value pairs. */
  Map<String, String> status(String uuid) {
    return Ids.keyValues(jrkt.run("status", uuid).ok().lines());
  }

  /** Asserts a pod exited with {@code code}, as `status` reports it. */
  void assertExited(String uuid, int code) {
    Map<String, String> status = status(uuid);
    assertEquals("exited", status.get("state"), "state of " + uuid + ": " + status);
    assertEquals("true", status.get("exited"), "exited= of " + uuid + ": " + status);
    String app = appNames(uuid).get(0);
    assertEquals(String.valueOf(code), status.get("app-" + app),
        "exit code of app " + app + " in " + uuid + ": " + status);
  }
}
