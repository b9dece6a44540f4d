package io.jrkt.appc.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jrkt.appc.AcName;
import io.jrkt.appc.App;
import io.jrkt.appc.AppcException;
import io.jrkt.appc.EnvVar;
import io.jrkt.appc.Isolator;
import io.jrkt.appc.Volume;
import io.jrkt.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppJsonTest {
  @Test
  void writesKeysInAppcOrderAndOmitsEmptyOnes() {
    App app = App.builder()
        .exec("/bin/sh", "-c", "true")
        .user("root").group("root")
        .environment(List.of(new EnvVar("PATH", "/bin")))
        .setIsolator(Isolator.noNewPrivileges(true))
        .userAnnotations(Map.of("b", "2", "a", "1"))
        .build();
    assertEquals("{\"exec\":[\"/bin/sh\",\"-c\",\"true\"],\"user\":\"root\",\"group\":\"root\","
        + "\"environment\":[{\"name\":\"PATH\",\"value\":\"/bin\"}],"
        + "\"isolators\":[{\"name\":\"os/linux/no-new-privileges\",\"value\":true}],"
        + "\"userAnnotations\":{\"a\":\"1\",\"b\":\"2\"}}", Json.write(AppJson.toJson(app)));
  }

  @Test
  void readsWhatItWrites() throws Exception {
    App app = App.builder().exec("/x").user("1").group("2").workingDirectory("/w")
        .supplementaryGids(List.of(3)).build();
    assertEquals(app, AppJson.fromJson(Json.parse(Json.write(AppJson.toJson(app)))));
  }

  @Test
  void defaultPathIsApp() {
    AppcException e = assertThrows(AppcException.class,
        () -> AppJson.fromJson(Json.parse("{\"exec\":[\"/x\"],\"user\":\"0\"}")));
    assertEquals("app.group: must be set", e.getMessage());
  }

  @Test
  void volumesWriteOnlyWhatIsSet() throws Exception {
    Volume host = Volume.host(new AcName("v"), "/srv", null, false);
    assertEquals("{\"name\":\"v\",\"kind\":\"host\",\"source\":\"/srv\",\"recursive\":false}",
        Json.write(VolumeJson.toJson(host)));
    assertEquals(host, VolumeJson.fromJson(Json.parse(Json.write(VolumeJson.toJson(host)))));
    assertEquals("volume.mode: must be a string, got the number 755",
        assertThrows(AppcException.class, () -> VolumeJson.fromJson(
            Json.parse("{\"name\":\"v\",\"kind\":\"empty\",\"mode\":755}"))).getMessage());
  }
}
