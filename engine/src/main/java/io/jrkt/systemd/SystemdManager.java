package io.jrkt.systemd;

import java.time.Duration;
import java.util.List;

/**
 * What jrkt asks of the service manager. One connection per instance; close it when done. The
 * implementation talks D-Bus ({@link Systemd#connect}); nothing here runs systemctl.
 */
public interface SystemdManager extends AutoCloseable {
  /** StartTransientUnit in mode "fail"; {@link SystemdException.Kind#UNIT_EXISTS} if taken. */
  void startTransientUnit(UnitName name, List<UnitProperty> properties) throws SystemdException;

  /**
   * Waits until the unit is active; fails when it becomes failed or inactive first, or after the
   * timeout. Returns the status seen last.
   */
  UnitStatus awaitActive(UnitName name, Duration timeout) throws SystemdException;

  /** The unit's state; {@link UnitStatus#gone} for a unit systemd does not know. */
  UnitStatus status(UnitName name) throws SystemdException;

  /** StopUnit in mode "replace"; returns once the job is queued. */
  void stopUnit(UnitName name) throws SystemdException;

  /** KillUnit: sends {@code signal} to every process of the unit. */
  void killUnit(UnitName name, int signal) throws SystemdException;

  /** RestartUnit in mode "replace" (the kubelet's start call). */
  void restartUnit(UnitName name) throws SystemdException;

  /** ResetFailedUnit; a unit that is gone or not failed is no error. */
  void resetFailedUnit(UnitName name) throws SystemdException;

  /** Reload (daemon-reload): rereads unit files. */
  void reload() throws SystemdException;

  @Override
  void close();
}
