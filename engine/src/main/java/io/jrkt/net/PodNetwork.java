package io.jrkt.net;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The seam between a stage1 and pod networking: stage0 sets the pod's networks up in a network
 * namespace of their own before the stage1 starts, and the stage1 only joins that namespace
 * (path in the pod directory's {@code netns} file). Tear-down undoes exactly what the pod
 * directory records.
 */
public interface PodNetwork {
  /**
   * What to set up.
   *
   * @param netDirs the directories of the user's networks
   */
  record Request(Path podDir, String podUuid, NetListSpec nets, NetConfigDirs netDirs,
      List<PortMapping> ports) {
    public Request {
      ports = List.copyOf(ports);
    }
  }

  /** One network the pod joined. */
  record Joined(Attachment attachment, Path plugin, Path recordedConf, CniResult result) {}

  /** The outcome: the netns (empty for {@code --net=host} and {@code none}) and networks. */
  record State(Optional<Path> netns, List<Joined> networks) {
    public State {
      networks = List.copyOf(networks);
    }
  }

  /**
   * Sets the networks up; on failure everything done so far is undone again before the error
   * is thrown, so nothing is left half-configured.
   */
  State setUp(Request request) throws NetException;

  /**
   * Asks each recorded plugin whether the pod's network is still as its ADD left it (CNI
   * {@code CHECK}, for configs of CNI 0.4.0 or later); throws naming the first that is not.
   */
  void check(Path podDir) throws NetException;

  /** Undoes what {@code podDir} records; a no-op when nothing is recorded. */
  void tearDown(Path podDir) throws NetException;
}
