package io.jrkt.api;

import java.net.InetSocketAddress;

/** A {@code --listen} value: {@code HOST:PORT}, {@code [IPV6]:PORT} or {@code :PORT} (all). */
final class ListenAddress {
  static final String DEFAULT = "localhost:15441";

  private ListenAddress() {}

  static InetSocketAddress parse(String s) {
    int colon = s.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("--listen=" + s + ": want HOST:PORT");
    }
    String host = s.substring(0, colon);
    String portText = s.substring(colon + 1);
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--listen=" + s + ": port \"" + portText
          + "\" is not a number");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--listen=" + s + ": port " + port + " out of range");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException("--listen=" + s + ": put an IPv6 address in brackets");
    }
    if (host.isEmpty()) {
      return new InetSocketAddress(port);
    }
    InetSocketAddress a = new InetSocketAddress(host, port);
    if (a.isUnresolved()) {
      throw new IllegalArgumentException("--listen=" + s + ": cannot resolve host \"" + host
          + "\"");
    }
    return a;
  }
}
