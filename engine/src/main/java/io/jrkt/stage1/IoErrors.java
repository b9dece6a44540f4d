package io.jrkt.stage1;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Short descriptions of file errors for one-line messages (the JDK's often name only a path). */
public final class IoErrors {
  private IoErrors() {}

  public static String describe(IOException e) {
    String what;
    if (e instanceof NoSuchFileException) {
      what = "no such file or directory";
    } else if (e instanceof AccessDeniedException) {
      what = "permission denied";
    } else if (e instanceof FileAlreadyExistsException) {
      what = "already exists";
    } else if (e instanceof NotDirectoryException) {
      what = "not a directory";
    } else if (e instanceof DirectoryNotEmptyException) {
      what = "directory not empty";
    } else if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
      what = ((FileSystemException) e).getReason();
    } else {
      return String.valueOf(e.getMessage());
    }
    String file = e instanceof FileSystemException ? ((FileSystemException) e).getFile() : null;
    return file == null ? what : file + ": " + what;
  }
}
