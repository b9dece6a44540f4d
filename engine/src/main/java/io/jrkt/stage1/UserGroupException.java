package io.jrkt.stage1;

/** An app's user or group cannot be turned into a numeric id; says which app, what and why. */
public class UserGroupException extends Exception {
  public UserGroupException(String message) {
    super(message);
  }
}
