package io.jrkt.pod;

import java.util.Objects;

/**
 * One network a pod is attached to, from the pod's {@code net-info.json} (written by the stage1).
 *
 * @param netName the network's name, e.g. {@code default}
 * @param ip the pod's IPv4 address on it; empty when unknown
 * @param ifName the interface inside the pod, e.g. {@code eth0}; empty when unknown
 * @param mask the network mask as written by the stage1; empty when unknown
 */
public record NetInfo(String netName, String ip, String ifName, String mask) {
  public NetInfo {
    Objects.requireNonNull(netName, "netName");
    ip = ip == null ? "" : ip;
    ifName = ifName == null ? "" : ifName;
    mask = mask == null ? "" : mask;
  }

  /** {@code netname:ip4=A.B.C.D}, the form {@code list} and {@code status} print. */
  public String display() {
    return netName + ":ip4=" + ip;
  }
}
