package io.jrkt.systemd;

import java.util.Map;

/**
 * Where systemd's bus is and how to reach it. The D-Bus classes load only when {@link #connect}
 * runs, so that commands without units never pay for them.
 */
public final class Systemd {
  /** The system bus's well-known socket. */
  public static final String DEFAULT_SYSTEM_BUS = "unix:path=/run/dbus/system_bus_socket";

  private Systemd() {}

  /**
   * The bus address: {@code --systemd-bus} when given, else {@code DBUS_SYSTEM_BUS_ADDRESS},
   * else the default system bus socket.
   */
  public static String busAddress(String flag, Map<String, String> env) {
    if (flag != null && !flag.isEmpty()) {
      return flag;
    }
    String fromEnv = env.get("DBUS_SYSTEM_BUS_ADDRESS");
    return fromEnv != null && !fromEnv.isEmpty() ? fromEnv : DEFAULT_SYSTEM_BUS;
  }

  /** Connects to systemd on the bus at {@code address}. */
  public static SystemdManager connect(String address) throws SystemdException {
    return io.jrkt.systemd.dbus.DbusSystemdManager.connect(address);
  }
}
