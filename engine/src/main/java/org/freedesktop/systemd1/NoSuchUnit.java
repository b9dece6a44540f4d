package org.freedesktop.systemd1;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/**
 * systemd's D-Bus error {@code org.freedesktop.systemd1.NoSuchUnit}: dbus-java maps an error
 * reply to the class of that exact name when one exists.
 */
public class NoSuchUnit extends DBusExecutionException {
  private static final long serialVersionUID = 1L;

  public NoSuchUnit(String message) {
    super(message);
  }
}
