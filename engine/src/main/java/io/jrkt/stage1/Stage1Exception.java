package io.jrkt.stage1;

/**
 * The stage1 cannot be chosen, prepared or started: names the stage1 (or flag) and why, in one
 * line.
 */
public class Stage1Exception extends Exception {
  public Stage1Exception(String message) {
    super(message);
  }

  public Stage1Exception(String message, Throwable cause) {
    super(message, cause);
  }
}
