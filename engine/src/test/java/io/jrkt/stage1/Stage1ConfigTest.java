package io.jrkt.stage1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Stage1ConfigTest {
  @TempDir
  Path tmp;

  private Path write(String dir, String file, String json) throws Exception {
    Path d = Files.createDirectories(tmp.resolve(dir).resolve("stage1.d"));
    return Files.writeString(d.resolve(file), json);
  }

  @Test
  void localOverridesSystemFieldByField() throws Exception {
    write("system", "a.json", "{\"rktKind\":\"stage1\",\"rktVersion\":\"v1\","
        + "\"name\":\"example.com/s1\",\"version\":\"1\",\"location\":\"/usr/lib/s1.aci\"}");
    write("local", "b.json", "{\"rktKind\":\"stage1\",\"rktVersion\":\"v1\","
        + "\"location\":\"file:///etc/s1.aci\"}");
    Stage1Config c = Stage1Config.load(Arrays.asList(tmp.resolve("system"), tmp.resolve("local"),
        null));
    assertEquals(new Stage1Config(Optional.of("example.com/s1"), Optional.of("1"),
        Optional.of("file:///etc/s1.aci")), c);
  }

  @Test
  void noDirectoriesMeansNoConfig() throws Exception {
    assertTrue(Stage1Config.load(Arrays.asList(tmp.resolve("nope"))).isEmpty());
  }

  @Test
  void badFilesAreReportedWithTheirPath() throws Exception {
    Path f = write("local", "x.json", "{\"rktKind\":\"paths\",\"rktVersion\":\"v1\"}");
    assertEquals("stage1 configuration " + f + ": rktKind must be \"stage1\", got \"paths\"",
        assertThrows(Stage1Exception.class, () -> Stage1Config.load(
            Arrays.asList(tmp.resolve("local")))).getMessage());
    write("local", "x.json", "{\"rktKind\":\"stage1\",\"rktVersion\":\"v1\","
        + "\"location\":\"stage1.aci\"}");
    assertTrue(assertThrows(Stage1Exception.class, () -> Stage1Config.load(
        Arrays.asList(tmp.resolve("local")))).getMessage()
        .endsWith("must be an absolute path or a URL"));
    write("local", "x.json", "{nope");
    assertTrue(assertThrows(Stage1Exception.class, () -> Stage1Config.load(
        Arrays.asList(tmp.resolve("local")))).getMessage().contains("not valid JSON"));
  }
}
