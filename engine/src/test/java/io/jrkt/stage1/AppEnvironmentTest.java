package io.jrkt.stage1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jrkt.appc.AcName;
import io.jrkt.appc.EnvVar;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppEnvironmentTest {
  @Test
  void defaultsForWhatTheAppDoesNotSetThenTheAppsOwn() {
    List<KeyValue> env = AppEnvironment.of(new AcName("web"),
        List.of(new EnvVar("HOME", "/home/web"), new EnvVar("FOO", "1")), null);
    String file = new String(AppEnvironment.envFile(env), StandardCharsets.UTF_8);
    assertEquals("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
        + "SHELL=/bin/sh\n"
        + "USER=root\n"
        + "LOGNAME=root\n"
        + "TERM=xterm\n"
        + "HOME=/home/web\n"
        + "FOO=1\n"
        + "AC_APP_NAME=web\n", file);
  }

  @Test
  void appNameReplacesAnImageValueInPlaceAndMetadataUrlIsAdded() {
    List<KeyValue> env = AppEnvironment.of(new AcName("a"),
        List.of(new EnvVar("AC_APP_NAME", "wrong"), new EnvVar("PATH", "/bin"),
            new EnvVar("TERM", "vt100")), "http://10.0.0.1:18112/t");
    assertEquals(List.of(new KeyValue("SHELL", "/bin/sh"), new KeyValue("USER", "root"),
        new KeyValue("LOGNAME", "root"), new KeyValue("HOME", "/root"),
        new KeyValue("AC_APP_NAME", "a"), new KeyValue("PATH", "/bin"),
        new KeyValue("TERM", "vt100"), new KeyValue("AC_METADATA_URL", "http://10.0.0.1:18112/t")),
        env);
  }

  @Test
  void envFileRefusesNewlines() {
    assertThrows(IllegalArgumentException.class,
        () -> AppEnvironment.envFile(List.of(new KeyValue("A", "x\ny"))));
  }
}
