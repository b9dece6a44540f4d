package io.jrkt.appc;

import java.util.List;

/** A command run around an app's life: {@code pre-start} (as root, before it) or {@code post-stop}. */
public record EventHandler(String name, List<String> exec) {
  public static final String PRE_START = "pre-start";
  public static final String POST_STOP = "post-stop";

  public EventHandler {
    if (!PRE_START.equals(name) && !POST_STOP.equals(name)) {
      throw new IllegalArgumentException("event handler " + Names.quote(name)
          + " is not one of \"pre-start\", \"post-stop\"");
    }
    exec = List.copyOf(exec);
    if (exec.isEmpty()) {
      throw new IllegalArgumentException("event handler " + name + ": exec must not be empty");
    }
  }
}
