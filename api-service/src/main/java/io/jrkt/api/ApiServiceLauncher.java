package io.jrkt.api;

import io.jrkt.cli.ApiServiceEntry;
import io.jrkt.cli.CliException;
import io.jrkt.cli.Context;
import io.jrkt.cli.Main;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/** {@code jrkt api-service}: starts the service, reports where it listens, stops on a signal. */
public final class ApiServiceLauncher implements ApiServiceEntry {
  @Override
  public int serve(Context ctx, String listen) throws CliException {
    PrintStream err = ctx.err();
    err.println("API service starting...");
    List<Integer> fds;
    InetSocketAddress address = null;
    try {
      fds = SocketActivation.fds(System.getenv(), ProcessHandle.current().pid());
      if (!fds.isEmpty() && !listen.isEmpty()) {
        throw new CliException("--listen cannot be used with socket activation (LISTEN_FDS="
            + fds.size() + ")");
      }
      if (fds.isEmpty()) {
        address = ListenAddress.parse(listen.isEmpty() ? ListenAddress.DEFAULT : listen);
      }
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
    ApiService service;
    try {
      service = new ApiService(config(ctx), new EngineLogSource(
          new io.jrkt.logs.JournalLogSource(new io.jrkt.pod.PodStore(ctx.dataDir()),
              java.util.Optional.empty())));
    } catch (IOException e) {
      throw new CliException("cannot start: " + e.getMessage());
    }
    try {
      if (fds.isEmpty()) {
        err.println("Listening on " + hostPort(service.listen(address)));
      } else {
        for (int fd : fds) {
          err.println("Listening on " + hostPort(service.adopt(fd)) + " (fd " + fd + ")");
        }
      }
    } catch (IOException | RuntimeException e) {
      service.close();
      String where = fds.isEmpty() ? String.valueOf(address) : "fds " + fds;
      throw new CliException("cannot listen on " + where + ": " + e.getMessage());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      err.println("API service exiting...");
      service.close();
    }, "jrkt-api-exit"));
    err.println("API service running");
    try {
      service.awaitTermination();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  static ApiConfig config(Context ctx) {
    String insecure = ctx.insecureOptions().isEmpty() ? "none"
        : String.join(",", new java.util.TreeSet<>(ctx.insecureOptions()));
    return new ApiConfig(ctx.dataDir(), ctx.systemConfig().toString(),
        ctx.localConfig().toString(), ctx.userConfig() == null ? "" : ctx.userConfig().toString(),
        insecure, ctx.trustKeysFromHttps(), Main.RKT_VERSION);
  }

  private static String hostPort(SocketAddress a) {
    if (a instanceof InetSocketAddress) {
      InetSocketAddress i = (InetSocketAddress) a;
      String host = i.getAddress() == null ? i.getHostString() : i.getAddress().getHostAddress();
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + i.getPort();
    }
    return String.valueOf(a);
  }
}
