package io.jrkt.cli;

import io.jrkt.appc.AppcException;
import io.jrkt.appc.ImageManifest;
import io.jrkt.appc.RuntimeApp;
import io.jrkt.appc.RuntimeImage;
import io.jrkt.pod.NetInfo;
import io.jrkt.pod.Pod;
import io.jrkt.pod.PodException;
import io.jrkt.pod.PodNotFoundException;
import io.jrkt.pod.PodStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code jrkt list}: one table row per app of every pod in prepare/, prepared/, run/ and
 * exited-garbage/, or the pods as JSON. Reads only what it prints: the manifest and two file
 * times per pod, the networks only for pods that ran.
 */
final class ListCommand implements Command {
  private static final String DASH = "-";

  @Override
  public String name() {
    return "list";
  }

  @Override
  public String summary() {
    return "List pods";
  }

  @Override
  public String usage() {
    return "[--full] [--no-legend] [--format=json|json-pretty]";
  }

  @Override
  public void define(Flags flags) {
    flags.bool("full", "use long output format")
        .bool("no-legend", "suppress a legend with the list");
    OutputFormat.define(flags);
  }

  @Override
  public int run(Context ctx, Flags flags, List<String> args) throws CliException {
    if (!args.isEmpty()) {
      throw new CliException("list takes no arguments, got \"" + args.get(0) + "\"");
    }
    OutputFormat format = OutputFormat.of(flags);
    List<Pod> pods;
    try {
      pods = new PodStore(ctx.dataDir()).listShown();
    } catch (PodException e) {
      throw new CliException("unable to list pods: " + e.getMessage());
    }
    if (format != OutputFormat.TABBED) {
      List<Object> out = new ArrayList<>();
      for (Pod p : pods) {
        try {
          out.add(PodJson.of(p));
        } catch (PodNotFoundException e) {
          // Deleted while we listed: no longer a pod to show.
        } catch (PodException e) {
          ctx.err().println("list: unable to read pod " + p.uuid() + ": " + e.getMessage());
        }
      }
      ctx.out().println(PodJson.write(out, format == OutputFormat.JSON_PRETTY));
      return 0;
    }
    boolean full = flags.getBool("full");
    TabWriter table = new TabWriter();
    if (!flags.getBool("no-legend")) {
      table.row(full
          ? new String[] {"UUID", "APP", "IMAGE NAME", "IMAGE ID", "STATE", "CREATED", "STARTED",
              "NETWORKS"}
          : new String[] {"UUID", "APP", "IMAGE NAME", "STATE", "CREATED", "STARTED",
              "NETWORKS"});
    }
    Instant now = Instant.now();
    for (Pod p : pods) {
      try {
        rows(ctx, table, p, full, now);
      } catch (PodNotFoundException e) {
        // Deleted while we listed.
      } catch (PodException e) {
        ctx.err().println("list: unable to read pod " + p.uuid() + ": " + e.getMessage());
      }
    }
    ctx.out().print(table.flush());
    return 0;
  }

  private static void rows(Context ctx, TabWriter table, Pod p, boolean full, Instant now)
      throws PodException {
    String uuid = full ? p.uuid().value() : p.uuid().shortForm();
    String created = time(p.created(), full, now);
    String started = p.started().map(t -> time(t, full, now)).orElse("");
    String nets = p.state().afterRun() ? networks(p.networks()) : "";
    String state = p.state().label();
    List<RuntimeApp> apps = List.of();
    try {
      apps = p.manifest().apps();
    } catch (PodNotFoundException e) {
      if (!Files.isDirectory(p.dir())) {
        throw e;
      }
      // No manifest yet (being prepared): the pod is shown without apps.
    } catch (PodException e) {
      ctx.err().println("list: pod " + p.uuid() + ": " + e.getMessage());
    }
    if (apps.isEmpty()) {
      table.row(cells(full, uuid, DASH, DASH, DASH, state, created, started, nets));
      return;
    }
    for (int i = 0; i < apps.size(); i++) {
      RuntimeApp app = apps.get(i);
      String imageId = app.image().id().value();
      imageId = imageId.substring(0, Math.min(19, imageId.length()));
      String image = imageName(p, app);
      if (i == 0) {
        table.row(cells(full, uuid, app.name().value(), image, imageId, state, created, started,
            nets));
      } else {
        table.row(cells(full, "", app.name().value(), image, imageId, "", "", "", ""));
      }
    }
  }

  private static String[] cells(boolean full, String uuid, String app, String image,
      String imageId, String state, String created, String started, String nets) {
    return full
        ? new String[] {uuid, app, image, imageId, state, created, started, nets}
        : new String[] {uuid, app, image, state, created, started, nets};
  }

  /**
   * {@code name:version} as rkt shows it: from the pod manifest's image reference when that names
   * the image and its version; otherwise (a {@code --pod-manifest} pod often gives only name and
   * id) from the app's image manifest kept in the pod; {@code --} when neither can be read.
   */
  static String imageName(Pod pod, RuntimeApp app) {
    RuntimeImage img = app.image();
    if (img.name() != null && img.labels().get("version").isPresent()) {
      return withVersion(img.name().value(), img.labels().get("version"));
    }
    Path f = pod.dir().resolve("appsinfo").resolve(app.name().value()).resolve("manifest");
    try {
      ImageManifest im = ImageManifest.parse(Files.readAllBytes(f));
      return withVersion(im.name().value(), im.labels().get("version"));
    } catch (IOException | AppcException e) {
      return img.name() != null ? img.name().value() : "--";
    }
  }

  private static String withVersion(String name, Optional<String> version) {
    return version.map(v -> name + ":" + v).orElse(name);
  }

  static String networks(List<NetInfo> nets) {
    StringBuilder sb = new StringBuilder();
    for (NetInfo n : nets) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(n.display());
    }
    return sb.toString();
  }

  private static String time(Instant t, boolean full, Instant now) {
    return full ? Humanize.goTime(t) : Humanize.relativeTime(t, now);
  }
}
