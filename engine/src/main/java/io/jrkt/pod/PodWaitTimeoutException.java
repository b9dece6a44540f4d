package io.jrkt.pod;

import java.time.Duration;

/** {@code status --wait=DURATION} (or {@code --wait-ready}) ran out of time. */
public class PodWaitTimeoutException extends PodException {
  private final PodUuid uuid;
  private final String goal;
  private final PodState state;
  private final Duration timeout;

  /**
   * @param goal what was awaited, e.g. {@code "finish"} or {@code "be ready"}
   * @param state the pod's state when the time ran out
   */
  public PodWaitTimeoutException(PodUuid uuid, String goal, PodState state, Duration timeout) {
    super("timed out after " + timeout + " waiting for pod \"" + uuid + "\" to " + goal
        + " (state: " + state.label() + ")");
    this.uuid = uuid;
    this.goal = goal;
    this.state = state;
    this.timeout = timeout;
  }

  public PodUuid uuid() {
    return uuid;
  }

  public String goal() {
    return goal;
  }

  public PodState state() {
    return state;
  }

  public Duration timeout() {
    return timeout;
  }
}
