package io.jrkt.systemd;

import java.util.OptionalInt;

/**
 * A unit's state as systemd reports it. {@code loadState} is {@code not-found} for a unit systemd
 * does not know (transient units are unloaded once they stopped cleanly).
 *
 * @param mainPid the main process, in systemd's PID namespace; empty when none runs
 * @param execMainStatus the main process's exit status once it exited
 */
public record UnitStatus(UnitName name, String loadState, String activeState, String subState,
    String result, OptionalInt mainPid, OptionalInt execMainStatus) {

  public static UnitStatus gone(UnitName name) {
    return new UnitStatus(name, "not-found", "inactive", "dead", "", OptionalInt.empty(),
        OptionalInt.empty());
  }

  public boolean loaded() {
    return !loadState.equals("not-found");
  }

  public boolean active() {
    return activeState.equals("active");
  }

  public boolean failed() {
    return activeState.equals("failed");
  }

  /** {@code active/running}, {@code failed/failed (exit-code)}, {@code not loaded}. */
  public String describe() {
    if (!loaded()) {
      return "not loaded";
    }
    String s = activeState + "/" + subState;
    return result.isEmpty() || result.equals("success") ? s : s + " (" + result + ")";
  }
}
