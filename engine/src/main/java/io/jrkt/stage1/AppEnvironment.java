package io.jrkt.stage1;

import io.jrkt.appc.AcName;
import io.jrkt.appc.EnvVar;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The environment an app process starts with: rkt's defaults for what the app does not set
 * ({@code PATH}, {@code SHELL}, {@code USER}, {@code LOGNAME}, {@code HOME}, {@code TERM}),
 * then the app's own variables with {@code AC_APP_NAME} set (and {@code AC_METADATA_URL} when
 * the pod is registered with the metadata service).
 */
public final class AppEnvironment {
  public static final String DEFAULT_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private static final List<KeyValue> DEFAULTS = List.of(
      new KeyValue("PATH", DEFAULT_PATH),
      new KeyValue("SHELL", "/bin/sh"),
      new KeyValue("USER", "root"),
      new KeyValue("LOGNAME", "root"),
      new KeyValue("HOME", "/root"),
      new KeyValue("TERM", "xterm"));

  private AppEnvironment() {}

  /** The full environment of {@code app} whose manifest environment is {@code appEnv}. */
  public static List<KeyValue> of(AcName app, List<EnvVar> appEnv, String metadataUrl) {
    EnvVars env = new EnvVars();
    for (EnvVar v : appEnv) {
      env.set(v.name(), v.value());
    }
    env.set("AC_APP_NAME", app.value());
    if (metadataUrl != null) {
      env.set("AC_METADATA_URL", metadataUrl);
    }
    List<KeyValue> out = new ArrayList<>();
    for (KeyValue d : DEFAULTS) {
      if (!env.contains(d.key())) {
        out.add(d);
      }
    }
    out.addAll(env.asList());
    return out;
  }

  /**
   * The {@code rkt/env/<app>} file: one {@code KEY=VALUE} per line.
   *
   * @throws IllegalArgumentException when a value holds a newline (the file could not carry it)
   */
  public static byte[] envFile(List<KeyValue> env) {
    StringBuilder sb = new StringBuilder();
    for (KeyValue kv : env) {
      if (kv.value().indexOf('\n') >= 0) {
        throw new IllegalArgumentException("environment variable " + kv.key()
            + " has a newline in its value, which the environment file cannot carry");
      }
      sb.append(kv.key()).append('=').append(kv.value()).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
