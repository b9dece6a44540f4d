package io.jrkt.systemd.dbus;

import java.util.List;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/** The members of {@code org.freedesktop.systemd1.Manager} jrkt calls; names are D-Bus's. */
@DBusInterfaceName("org.freedesktop.systemd1.Manager")
@SuppressWarnings("checkstyle:MethodName")
public interface Systemd1Manager extends DBusInterface {
  DBusPath StartTransientUnit(String name, String mode, List<PropertyStruct> properties,
      List<AuxUnitStruct> aux);

  DBusPath StopUnit(String name, String mode);

  DBusPath RestartUnit(String name, String mode);

  void KillUnit(String name, String whom, int signal);

  DBusPath GetUnit(String name);

  void ResetFailedUnit(String name);

  void Reload();
}
