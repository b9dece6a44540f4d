package io.jrkt.store;

import io.jrkt.appc.AcIdentifier;
import io.jrkt.appc.Label;
import io.jrkt.appc.Labels;
import io.jrkt.appc.Names;
import java.util.ArrayList;
import java.util.List;

/**
 * An image named by name and labels, as the CLI accepts it: {@code name}, {@code name:version}
 * or {@code name,label=value,...} (the forms combine: {@code name:1.0,arch=amd64}).
 */
record ImageRef(String name, Labels labels) {

  static ImageRef parse(String ref) throws ImageNotFoundException {
    String[] parts = ref.split(",", -1);
    String head = parts[0];
    String name = head;
    List<Label> labels = new ArrayList<>();
    int colon = head.indexOf(':');
    if (colon >= 0) {
      name = head.substring(0, colon);
      String version = head.substring(colon + 1);
      if (version.isEmpty()) {
        throw bad(ref, "empty version after ':'");
      }
      labels.add(new Label("version", version));
    }
    if (!AcIdentifier.isValid(name)) {
      throw bad(ref, Names.quote(name) + " is not a valid image name");
    }
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (eq <= 0) {
        throw bad(ref, "label " + Names.quote(parts[i]) + " is not of the form name=value");
      }
      String key = parts[i].substring(0, eq);
      if (!AcIdentifier.isValid(key)) {
        throw bad(ref, "label name " + Names.quote(key) + " is not a valid AC Identifier");
      }
      for (Label l : labels) {
        if (l.name().equals(key)) {
          throw bad(ref, "label " + Names.quote(key) + " is given twice");
        }
      }
      labels.add(new Label(key, parts[i].substring(eq + 1)));
    }
    try {
      return new ImageRef(name, Labels.of(labels));
    } catch (IllegalArgumentException e) {
      throw bad(ref, e.getMessage());
    }
  }

  private static ImageNotFoundException bad(String ref, String why) {
    return new ImageNotFoundException(ref, "bad image reference " + Names.quote(ref) + ": " + why);
  }

  /** For messages: {@code "name" (version=1.0,os=linux)} or {@code "name"}. */
  String describe() {
    return describe(name, labels);
  }

  static String describe(String name, Labels labels) {
    return Names.quote(name) + (labels.isEmpty() ? "" : " (" + labels + ")");
  }
}
