package org.freedesktop.systemd1;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/** systemd's D-Bus error {@code org.freedesktop.systemd1.UnitExists} (see {@link NoSuchUnit}). */
public class UnitExists extends DBusExecutionException {
  private static final long serialVersionUID = 1L;

  public UnitExists(String message) {
    super(message);
  }
}
