package io.jrkt.net;

import io.jrkt.appc.ExposedPort;
import io.jrkt.appc.PodManifest;
import io.jrkt.appc.Port;
import io.jrkt.appc.RuntimeApp;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A host port forwarded to a pod's port: {@code --port=NAME:[HOSTIP:]HOSTPORT} joined with the
 * app's port of that name.
 *
 * @param hostIp empty: every host address
 */
public record PortMapping(String name, String protocol, int containerPort, int hostPort,
    String hostIp) {

  /** The pod manifest's exposed ports with their apps' ports; an unknown name is refused. */
  public static List<PortMapping> of(PodManifest pod) throws NetException {
    List<PortMapping> out = new ArrayList<>();
    for (ExposedPort e : pod.ports()) {
      Port found = null;
      for (RuntimeApp ra : pod.apps()) {
        if (ra.app() != null) {
          for (Port p : ra.app().ports()) {
            if (p.name().equals(e.name())) {
              found = p;
            }
          }
        }
      }
      if (found == null) {
        throw new NetException("--port=" + e.name() + ":" + e.hostPort()
            + ": no app of the pod has a port named \"" + e.name() + "\"");
      }
      out.add(new PortMapping(e.name().toString(), found.protocol(), found.port(), e.hostPort(),
          e.hostIP() == null ? "" : e.hostIP()));
    }
    return out;
  }

  /** The flag as given, for messages. */
  public String flag() {
    return "--port=" + name + ":" + (hostIp.isEmpty() ? "" : hostIp + ":") + hostPort;
  }

  /** The {@code runtimeConfig.portMappings} entry of the portmap plugin. */
  public Map<String, Object> asCni() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("hostPort", (long) hostPort);
    m.put("containerPort", (long) containerPort);
    m.put("protocol", protocol);
    if (!hostIp.isEmpty()) {
      m.put("hostIP", hostIp);
    }
    return m;
  }

  /**
   * Refuses a host port that a socket on this host is bound to already: the forward would
   * silently steal its traffic.
   */
  public void checkHostPortFree() throws NetException {
    InetSocketAddress addr;
    try {
      addr = hostIp.isEmpty() ? new InetSocketAddress(hostPort)
          : new InetSocketAddress(InetAddress.getByName(hostIp), hostPort);
    } catch (IOException e) {
      throw new NetException(this + ": bad host address: " + e.getMessage(), e);
    }
    try {
      if (protocol.equals("udp")) {
        try (DatagramSocket s = new DatagramSocket(null)) {
          s.bind(addr);
        }
      } else {
        try (ServerSocket s = new ServerSocket()) {
          s.bind(addr);
        }
      }
    } catch (IOException e) {
      throw new NetException(flag() + ": host port " + hostPort + "/" + protocol
          + " is already in use");
    }
  }
}
