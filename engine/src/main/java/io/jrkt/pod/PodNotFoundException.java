package io.jrkt.pod;

/** No pod matches a UUID or UUID prefix (or the pod vanished while being looked at). */
public class PodNotFoundException extends PodException {
  public PodNotFoundException(String message) {
    super(message);
  }
}
