package io.jrkt.tests;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Docker distribution registry (Debian's docker-registry) started by the tests on 127.0.0.1
 * with its own storage directory and config, and stopped by them. Only the process started here
 * is ever signalled.
 */
final class TestRegistry implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final Path config;
  private Process process;

  private TestRegistry(Path dir, int port, Path config) {
    this.dir = dir;
    this.port = port;
    this.config = config;
  }

  /** Starts a registry; with an htpasswd file it asks for basic auth. */
  static TestRegistry start(Path dir, Path htpasswd) {
    try {
      Files.createDirectories(dir.resolve("storage"));
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      String yml = "version: 0.1\n"
          + "log:\n  level: error\n  accesslog:\n    disabled: true\n"
          + "storage:\n  filesystem:\n    rootdirectory: " + dir.resolve("storage") + "\n"
          + "  delete:\n    enabled: true\n"
          + "http:\n  addr: 127.0.0.1:" + port + "\n"
          + (htpasswd == null ? "" : "auth:\n  htpasswd:\n    realm: jrkt-test\n    path: "
              + htpasswd + "\n");
      Path config = dir.resolve("config.yml");
      Files.writeString(config, yml);
      TestRegistry r = new TestRegistry(dir, port, config);
      r.launch();
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void launch() throws IOException {
    process = new ProcessBuilder("docker-registry", "serve", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("registry.log").toFile())
        .redirectInput(new File("/dev/null"))
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("docker-registry exited " + process.exitValue() + ":\n"
            + Jrkt.read(dir.resolve("registry.log")));
      }
      try {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/v2/")
            .openConnection();
        c.setConnectTimeout(500);
        int code = c.getResponseCode();
        c.disconnect();
        if (code == 200 || code == 401) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      }
      sleep(50);
    }
    throw new AssertionError("docker-registry did not answer on port " + port);
  }

  /** host:port */
  String address() {
    return "127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  /** Stops the registry process and starts it again on the same port and storage. */
  void restart() {
    stop();
    try {
      launch();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Pushes {@code oci:LAYOUT:TAG} as {@code REPO:TAG} with skopeo. */
  void push(Path layout, String tag, String repoTag, String creds) {
    List<String> cmd = new java.util.ArrayList<>(List.of("skopeo", "copy", "--quiet",
        "--dest-tls-verify=false"));
    if (creds != null) {
      cmd.add("--dest-creds=" + creds);
    }
    cmd.add("oci:" + layout + ":" + tag);
    cmd.add("docker://" + address() + "/" + repoTag);
    OciImages.tool(cmd);
  }

  @Override
  public void close() {
    stop();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
