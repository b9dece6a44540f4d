package io.jrkt.stage1;

/**
 * A bad run/prepare command line: names the flag or image argument and what is wrong with it.
 * The message is one line, printed as is after the command name.
 */
public class ArgsException extends Exception {
  public ArgsException(String message) {
    super(message);
  }
}
