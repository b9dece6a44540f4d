package io.jrkt.sys;

import java.io.FileInputStream;
import java.io.IOException;

/**
 * Run in a child JVM by {@link NativeTest}: opens two fds on {@code args[0]}, prints the one it
 * keeps, then execs a shell that reports its environment, cwd, pid, signal state and open fds.
 */
public final class NativeExecveProbe {
  private NativeExecveProbe() {}

  public static void main(String[] args) throws NativeException, IOException {
    String dir = args[0];
    Native.load();
    int kept = Native.openDirectory(dir);
    int dropped = Native.openDirectory(dir);
    // A stream the JDK opened itself, whatever its flags: it must not survive the exec either.
    FileInputStream stream = new FileInputStream("/proc/self/status");
    System.out.println("kept " + kept + " dropped " + dropped);
    System.out.flush();
    String script = "echo \"X=$X\"; echo \"pid=$$\"; echo \"cwd=$(pwd)\";"
        // Builtins only: while it waits for a child, the shell blocks all signals itself.
        + " while read -r line; do case $line in SigBlk*|SigIgn*) echo \"$line\";; esac;"
        + " done < /proc/$$/status; echo fds; ls /proc/$$/fd";
    Native.execve("/bin/sh", new String[] {"sh", "-c", script}, new String[] {"X=from-probe"},
        dir, new int[] {kept});
    stream.close();
  }
}
