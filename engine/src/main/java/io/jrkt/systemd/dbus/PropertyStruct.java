package io.jrkt.systemd.dbus;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.types.Variant;

/** D-Bus {@code (sv)}: one unit property. */
public final class PropertyStruct extends Struct {
  @Position(0)
  public final String name;
  @Position(1)
  public final Variant<?> value;

  public PropertyStruct(String name, Variant<?> value) {
    this.name = name;
    this.value = value;
  }
}
