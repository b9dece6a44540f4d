package io.jrkt.net;

/**
 * A network a pod joins: its config, the CNI_ARGS given for it on {@code --net}, and its
 * position (interface {@code eth<index>}).
 */
public record Attachment(NetConf conf, String args, int index) {
  public String ifName() {
    return "eth" + index;
  }

  /** The base name of this network's record files in the pod's {@code net/} directory. */
  public String recordName() {
    return (index < 10 ? "0" : "") + index + "-" + conf.name();
  }
}
