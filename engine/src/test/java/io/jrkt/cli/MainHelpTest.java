package io.jrkt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MainHelpTest {
  private String run(List<String> argv, int expectedExit) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(expectedExit, code, err.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpAloneListsEveryCommand() {
    String text = run(List.of("help"), 0);
    assertTrue(text.contains("Commands:") && text.contains("image list"), text);
  }

  @Test
  void helpWithACommandShowsThatCommandsFlags() {
    String text = run(List.of("help", "status"), 0);
    assertTrue(text.startsWith("Usage:\n  jrkt status"), text);
    assertTrue(text.contains("--wait"), text);
  }

  @Test
  void helpWithASubcommandShowsItsFlags() {
    String text = run(List.of("help", "image", "list"), 0);
    assertTrue(text.startsWith("Usage:\n  jrkt image list"), text);
    assertTrue(text.contains("--fields"), text);
  }
}
