package io.jrkt.appc;

/** An entry of an ordered name/value list: a {@link Label} or an {@link Annotation}. */
interface NamedValue {
  String name();

  String value();
}
