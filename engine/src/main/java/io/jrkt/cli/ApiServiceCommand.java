package io.jrkt.cli;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code jrkt api-service}: loads the service from {@code lib/api/*.jar} (next to the engine's
 * {@code lib/}) and hands over; see {@link ApiServiceEntry}.
 */
final class ApiServiceCommand implements Command {
  @Override
  public String name() {
    return "api-service";
  }

  @Override
  public String summary() {
    return "Run the read-only API service (gRPC, v1alpha)";
  }

  @Override
  public String usage() {
    return "[--listen=ADDR]";
  }

  @Override
  public void define(Flags flags) {
    flags.string("listen", "", "address to listen on for API requests (default localhost:15441)");
  }

  @Override
  public int run(Context ctx, Flags flags, List<String> args) throws CliException {
    if (!args.isEmpty()) {
      throw new CliException("unexpected arguments: " + String.join(" ", args));
    }
    Path dir = apiLibDir(ctx);
    ClassLoader loader = new URLClassLoader(jarUrls(dir), ApiServiceCommand.class.getClassLoader());
    Thread.currentThread().setContextClassLoader(loader);
    ApiServiceEntry entry;
    try {
      entry = (ApiServiceEntry) Class.forName(ApiServiceEntry.CLASS, true, loader)
          .getDeclaredConstructor().newInstance();
    } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException
        | IllegalAccessException | InvocationTargetException | ClassCastException e) {
      throw new CliException("cannot load the api-service from " + dir + ": " + e);
    }
    return entry.serve(ctx, flags.getString("listen"));
  }

  /** {@code <install dir>/lib/api}: the launcher is in {@code bin/}, the jars in {@code lib/}. */
  private static Path apiLibDir(Context ctx) {
    Path bin = ctx.binDir().toAbsolutePath().normalize();
    Path base = bin.getParent() == null ? bin : bin.getParent();
    return base.resolve("lib").resolve("api");
  }

  private static URL[] jarUrls(Path dir) throws CliException {
    List<URL> urls = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.jar")) {
      for (Path p : ds) {
        urls.add(p.toUri().toURL());
      }
    } catch (MalformedURLException e) {
      throw new CliException("bad jar path in " + dir + ": " + e.getMessage());
    } catch (IOException e) {
      throw new CliException("the api-service is not installed: cannot list " + dir + ": " + e);
    }
    if (urls.isEmpty()) {
      throw new CliException("the api-service is not installed: no jars in " + dir);
    }
    return urls.toArray(new URL[0]);
  }
}
