package io.jrkt.net;

import io.jrkt.json.Json;
import io.jrkt.json.JsonException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Runs CNI plugins: environment, config on stdin, result or error JSON on stdout. */
public final class CniRunner {
  private static final String SEARCH_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:"
      + "/sbin:/bin";
  private static final boolean HAVE_SETPRIV = Files.isExecutable(Path.of("/usr/bin/setpriv"));

  /** Runs the call; returns the plugin's stdout (the result JSON; empty for DEL). */
  public byte[] run(CniInvocation call, String netName) throws NetException {
    if (!Files.isExecutable(call.plugin())) {
      throw new NetException("network \"" + netName + "\": CNI plugin " + call.plugin()
          + " is missing (needed for " + call.command() + ")");
    }
    // Only an ADD can race a teardown; a DEL cut short is simply run again by the next gc.
    ProcessBuilder pb = new ProcessBuilder(call.argv(HAVE_SETPRIV
        && !call.command().equals("DEL")));
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("CNI_"));
    env.putAll(call.environment());
    String path = env.get("PATH");
    // Plugins run iptables and modprobe: the sbin directories must be on the PATH.
    env.put("PATH", path == null || path.isEmpty() ? SEARCH_PATH : path + ":" + SEARCH_PATH);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    byte[] out;
    int status;
    try {
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(call.config());
      } catch (IOException e) {
        // A plugin that exits without reading stdin reports the error on stdout.
      }
      try (InputStream o = p.getInputStream()) {
        out = o.readAllBytes();
      }
      status = p.waitFor();
    } catch (IOException e) {
      throw new NetException("network \"" + netName + "\": cannot run CNI plugin "
          + call.plugin() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NetException("network \"" + netName + "\": interrupted while running "
          + call.plugin(), e);
    }
    if (status != 0) {
      throw new NetException("network \"" + netName + "\": CNI plugin "
          + call.plugin().getFileName() + " " + call.command() + " failed (status " + status
          + "): " + errorMessage(out));
    }
    return out;
  }

  /** The {@code msg} (and {@code details}) of a CNI error result, or the raw output. */
  static String errorMessage(byte[] out) {
    String text = new String(out, StandardCharsets.UTF_8).trim();
    try {
      Map<String, Object> m = Json.asObject(Json.parse(text), "CNI error");
      Object msg = m.get("msg");
      Object details = m.get("details");
      if (msg instanceof String) {
        return details instanceof String && !((String) details).isEmpty()
            ? msg + " (" + details + ")" : (String) msg;
      }
    } catch (JsonException e) {
      // not JSON: show it as it is
    }
    return text.isEmpty() ? "no error message" : text.replace('\n', ' ');
  }
}
