package io.jrkt.cli;

import io.jrkt.appc.AcName;
import io.jrkt.appc.RuntimeApp;
import io.jrkt.pod.Pod;
import io.jrkt.pod.PodException;
import io.jrkt.pod.PodOverlay;
import io.jrkt.pod.PodState;
import io.jrkt.pod.PodStore;
import io.jrkt.pod.PodUuid;
import io.jrkt.stage1.Stage1Exception;
import io.jrkt.stage1.Stage1Launcher;
import java.util.List;
import java.util.OptionalInt;

/**
 * {@code enter}: runs a command in an app of a running pod through the stage1's enter
 * entrypoint, which replaces this process; the exit status is the command's.
 */
final class EnterCommand implements Command {
  private static final long POLL_MILLIS = 100;

  @Override
  public String name() {
    return "enter";
  }

  @Override
  public String summary() {
    return "Enter the namespaces of an app within a rkt pod";
  }

  @Override
  public String usage() {
    return "[--app=APPNAME] UUID [CMD [ARGS ...]]";
  }

  @Override
  public void define(Flags flags) {
    flags.string("app", "", "name of the app to enter within the specified pod");
  }

  @Override
  public boolean interspersed() {
    return false;
  }

  @Override
  public boolean needsRoot() {
    return true;
  }

  @Override
  public int run(Context ctx, Flags flags, List<String> args) throws CliException {
    if (args.isEmpty()) {
      throw new CliException("missing pod UUID (usage: enter " + usage() + ")");
    }
    PodStore pods = new PodStore(ctx.dataDir());
    try {
      PodUuid uuid = pods.resolve(args.get(0));
      Pod pod = running(pods, uuid);
      String app = app(pod, flags.getString("app"));
      List<String> command = args.size() > 1 ? args.subList(1, args.size())
          : EnterShell.forAppRoot(PodOverlay.appView(pod.dir(), app));
      int pid = waitForPid(pods, pod);
      ctx.out().flush();
      ctx.err().flush();
      Stage1Launcher.execEnter(pod.dir(), PodLaunch.entrypointsOf(pod.dir()), pid, app, command,
          System.getenv());
    } catch (PodException | Stage1Exception e) {
      throw new CliException(e.getMessage(), e);
    }
    return 254;
  }

  private static Pod running(PodStore pods, PodUuid uuid) throws PodException, CliException {
    Pod pod = pods.get(uuid);
    if (pod.state() != PodState.RUNNING) {
      throw new CliException("pod " + uuid + " is not running (state: " + pod.state().label()
          + ")");
    }
    return pod;
  }

  /** The app to enter: {@code --app}, or the pod's only app. */
  static String app(Pod pod, String wanted) throws PodException, CliException {
    List<RuntimeApp> apps = pod.manifest().apps();
    if (!wanted.isEmpty()) {
      for (RuntimeApp ra : apps) {
        if (ra.name().value().equals(wanted)) {
          return wanted;
        }
      }
      throw new CliException("pod " + pod.uuid() + " has no app \"" + wanted + "\"");
    }
    if (apps.size() != 1) {
      StringBuilder names = new StringBuilder();
      for (RuntimeApp ra : apps) {
        names.append(names.length() == 0 ? "" : ", ").append(ra.name().value());
      }
      throw new CliException("pod " + pod.uuid() + " has " + apps.size()
          + " apps; choose one with --app (" + names + ")");
    }
    AcName only = apps.get(0).name();
    return only.value();
  }

  /** The pod's pid: polled every 100 ms until the stage1 has written it, while it runs. */
  private static int waitForPid(PodStore pods, Pod pod) throws PodException, CliException {
    Pod now = pod;
    while (true) {
      OptionalInt pid = now.pid();
      if (pid.isPresent()) {
        return pid.getAsInt();
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException("interrupted while waiting for the pod's pid");
      }
      now = running(pods, pod.uuid());
    }
  }
}
