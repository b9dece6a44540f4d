package io.jrkt.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * systemd's socket activation protocol: {@code LISTEN_PID} names this process and
 * {@code LISTEN_FDS} counts the listening sockets passed from fd 3 on.
 */
final class SocketActivation {
  static final int FIRST_FD = 3;
  /** More would be a misconfiguration, not a use: a gRPC server per socket. */
  static final int MAX_FDS = 64;

  private SocketActivation() {}

  /** The passed fds; empty when the environment does not pass sockets to this process. */
  static List<Integer> fds(Map<String, String> env, long myPid) {
    String pid = env.get("LISTEN_PID");
    String count = env.get("LISTEN_FDS");
    if (pid == null || count == null) {
      return List.of();
    }
    long listenPid;
    int n;
    try {
      listenPid = Long.parseLong(pid.trim());
      n = Integer.parseInt(count.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("socket activation: bad LISTEN_PID=\"" + pid
          + "\" or LISTEN_FDS=\"" + count + "\"");
    }
    if (listenPid != myPid) {
      // Meant for another process (e.g. inherited through a wrapper): not ours to use.
      return List.of();
    }
    if (n < 0 || n > MAX_FDS) {
      throw new IllegalArgumentException("socket activation: LISTEN_FDS=" + n
          + " is out of range (0.." + MAX_FDS + ")");
    }
    List<Integer> fds = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      fds.add(FIRST_FD + i);
    }
    return fds;
  }
}
