package io.jrkt.tests;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.jrkt.api.v1alpha.PublicAPIGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code jrkt api-service} process of a harness, and a gRPC client to it over loopback TCP,
 * generated from the service's .proto as any independent client's would be.
 */
final class ApiClient implements AutoCloseable {
  private final Jrkt.Running service;
  private final Path stderr;
  final int port;
  final ManagedChannel channel;
  final PublicAPIGrpc.PublicAPIBlockingStub blocking;
  final PublicAPIGrpc.PublicAPIStub async;

  private ApiClient(Jrkt.Running service, Path stderr, int port) {
    this.service = service;
    this.stderr = stderr;
    this.port = port;
    this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
        .maxInboundMessageSize(64 << 20).build();
    this.blocking = PublicAPIGrpc.newBlockingStub(channel);
    this.async = PublicAPIGrpc.newStub(channel);
  }

  /** Starts the service on a free loopback port and waits until it says it is running. */
  static ApiClient start(Jrkt jrkt, String... extraArgs) {
    int port = freePort();
    List<String> args = new ArrayList<>(List.of(extraArgs));
    args.add("api-service");
    args.add("--listen=127.0.0.1:" + port);
    Jrkt.Running r = jrkt.start(args);
    Path err = r.errFile();
    awaitRunning(r, err);
    return new ApiClient(r, err, port);
  }

  /** Waits for "API service running" on the service's stderr. */
  static void awaitRunning(Jrkt.Running r, Path err) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      String text = read(err);
      if (text.contains("API service running")) {
        return;
      }
      if (!r.process().isAlive()) {
        throw new AssertionError("api-service exited " + r.process().exitValue() + ":\n" + text);
      }
      sleep(50);
    }
    r.process().destroyForcibly();
    throw new AssertionError("api-service did not start within 60 s:\n" + read(err));
  }

  long pid() {
    return service.process().pid();
  }

  String stderr() {
    return read(stderr);
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Stops the service with SIGTERM, as systemd does, and waits for it. */
  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    service.process().destroy();
    try {
      if (!service.process().waitFor(20, TimeUnit.SECONDS)) {
        service.process().destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      service.process().destroyForcibly();
    }
  }
}
