package io.jrkt.cli;

/**
 * The api-service's entry point. It is implemented in the api-service module, whose jars (gRPC,
 * netty, protobuf) live in {@code lib/api/} and are loaded only by {@code jrkt api-service}, so
 * that no other command pays for them at start-up.
 */
public interface ApiServiceEntry {
  /** The implementing class, looked up in {@code lib/api/}. */
  String CLASS = "io.jrkt.api.ApiServiceLauncher";

  /**
   * Serves until the process is told to stop.
   *
   * @param listen the {@code --listen} address, or empty when not given
   * @return the exit code
   */
  int serve(Context ctx, String listen) throws CliException;
}
