package io.jrkt.stage1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvVarsTest {
  @Test
  void setReplacesInPlaceAddMissingOnlyAppends() {
    Map<String, String> host = new LinkedHashMap<>();
    host.put("A", "host");
    host.put("C", "host");
    host.put("BAD NAME", "x");
    host.put("ML", "two\nlines");
    EnvVars env = new EnvVars(List.of(new KeyValue("A", "1"), new KeyValue("B", "2")));
    env.set("B", "3").addMissing(host);
    assertEquals(List.of(new KeyValue("A", "1"), new KeyValue("B", "3"),
        new KeyValue("C", "host")), env.asList());
  }

  @Test
  void parsesEnvFiles() throws ArgsException {
    assertEquals(List.of(new KeyValue("A", "1"), new KeyValue("B", "x=y"), new KeyValue("C", "")),
        EnvVars.parseFile("f", "# comment\nA=1\r\n\n  \nB=x=y\nC=\n"));
    assertEquals("--set-env-file f line 2: want NAME=VALUE, got \"oops\"",
        assertThrows(ArgsException.class, () -> EnvVars.parseFile("f", "A=1\noops\n"))
            .getMessage());
    assertThrows(ArgsException.class, () -> EnvVars.parseFile("f", "1A=1\n"));
  }
}
