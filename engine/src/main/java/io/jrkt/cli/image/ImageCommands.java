package io.jrkt.cli.image;

import io.jrkt.cli.Command;
import java.util.List;

/** The image commands: {@code fetch} and the {@code image} group. */
public final class ImageCommands {
  private ImageCommands() {}

  public static List<Command> all() {
    return List.of();
  }
}
