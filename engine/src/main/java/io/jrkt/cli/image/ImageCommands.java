package io.jrkt.cli.image;

import io.jrkt.cli.Command;
import java.util.List;

/** The image commands: {@code fetch} and the {@code image} group. */
public final class ImageCommands {
  private ImageCommands() {}

  public static List<Command> all() {
    return List.of(
        new FetchCommand("fetch"),
        new FetchCommand("image fetch"),
        new ImageListCommand(),
        new ImageRmCommand(),
        new CatManifestCommand(),
        new ExportCommand(),
        new ExtractCommand(ExtractCommand.Mode.EXTRACT),
        new ExtractCommand(ExtractCommand.Mode.RENDER),
        new ImageGcCommand(),
        new ImageVerifyCommand());
  }
}
