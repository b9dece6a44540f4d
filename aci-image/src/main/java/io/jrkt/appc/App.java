package io.jrkt.appc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What to run from an image: argv, identity, environment, isolators, mount points, ports and
 * event handlers. {@code workingDirectory} is null when not set; lists and maps are never null.
 * The user and group strings are kept as given (a number, a name, or an absolute path); stage0
 * resolves them against the image.
 */
public record App(List<String> exec, String user, String group, List<Integer> supplementaryGids,
    String workingDirectory, List<EnvVar> environment, List<Isolator> isolators,
    List<MountPoint> mountPoints, List<Port> ports, List<EventHandler> eventHandlers,
    Map<String, String> userAnnotations, Map<String, String> userLabels) {

  /** @throws IllegalArgumentException when a field breaks appc's rules (message names it) */
  public App {
    exec = copy(exec);
    if (!exec.isEmpty() && !exec.get(0).startsWith("/")) {
      throw new IllegalArgumentException(
          "exec[0]: " + Names.quote(exec.get(0)) + " must be an absolute path");
    }
    if (user == null || user.isEmpty()) {
      throw new IllegalArgumentException("user: must not be empty");
    }
    if (group == null || group.isEmpty()) {
      throw new IllegalArgumentException("group: must not be empty");
    }
    supplementaryGids = copy(supplementaryGids);
    if (workingDirectory != null && workingDirectory.isEmpty()) {
      workingDirectory = null;
    }
    if (workingDirectory != null && !workingDirectory.startsWith("/")) {
      throw new IllegalArgumentException(
          "workingDirectory: " + Names.quote(workingDirectory) + " must be an absolute path");
    }
    environment = copy(environment);
    String p = EnvVar.listProblem(environment);
    if (p != null) {
      throw new IllegalArgumentException("environment" + p);
    }
    isolators = copy(isolators);
    p = Isolator.listProblem(isolators);
    if (p != null) {
      throw new IllegalArgumentException("isolators" + p);
    }
    mountPoints = copy(mountPoints);
    ports = copy(ports);
    eventHandlers = copy(eventHandlers);
    Set<String> handlers = new HashSet<>();
    for (int i = 0; i < eventHandlers.size(); i++) {
      if (!handlers.add(eventHandlers.get(i).name())) {
        throw new IllegalArgumentException("eventHandlers[" + i + "]: only one "
            + eventHandlers.get(i).name() + " handler is allowed");
      }
    }
    userAnnotations = sorted(userAnnotations);
    userLabels = sorted(userLabels);
  }

  private static <T> List<T> copy(List<T> l) {
    return l == null ? List.of() : List.copyOf(l);
  }

  /** Keys sorted, as Go writes maps. */
  private static Map<String, String> sorted(Map<String, String> m) {
    if (m == null || m.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(m).entrySet()) {
      out.put(e.getKey(), Objects.requireNonNull(e.getValue(), e.getKey()));
    }
    return Collections.unmodifiableMap(out);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.exec = new ArrayList<>(exec);
    b.user = user;
    b.group = group;
    b.supplementaryGids = new ArrayList<>(supplementaryGids);
    b.workingDirectory = workingDirectory;
    b.environment = new ArrayList<>(environment);
    b.isolators = new ArrayList<>(isolators);
    b.mountPoints = new ArrayList<>(mountPoints);
    b.ports = new ArrayList<>(ports);
    b.eventHandlers = new ArrayList<>(eventHandlers);
    b.userAnnotations = new LinkedHashMap<>(userAnnotations);
    b.userLabels = new LinkedHashMap<>(userLabels);
    return b;
  }

  /** The value of an environment variable, if set. */
  public Optional<String> env(String name) {
    for (EnvVar e : environment) {
      if (e.name().equals(name)) {
        return Optional.of(e.value());
      }
    }
    return Optional.empty();
  }

  /** The (first) isolator of that name. */
  public Optional<Isolator> isolator(String name) {
    for (Isolator i : isolators) {
      if (i.name().equals(name)) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  /** The event handler of that name ({@code pre-start} or {@code post-stop}). */
  public Optional<EventHandler> eventHandler(String name) {
    for (EventHandler h : eventHandlers) {
      if (h.name().equals(name)) {
        return Optional.of(h);
      }
    }
    return Optional.empty();
  }

  /** Mutable staging for an {@link App}; {@link #build()} validates. */
  public static final class Builder {
    private List<String> exec = new ArrayList<>();
    private String user;
    private String group;
    private List<Integer> supplementaryGids = new ArrayList<>();
    private String workingDirectory;
    private List<EnvVar> environment = new ArrayList<>();
    private List<Isolator> isolators = new ArrayList<>();
    private List<MountPoint> mountPoints = new ArrayList<>();
    private List<Port> ports = new ArrayList<>();
    private List<EventHandler> eventHandlers = new ArrayList<>();
    private Map<String, String> userAnnotations = new LinkedHashMap<>();
    private Map<String, String> userLabels = new LinkedHashMap<>();

    private Builder() {}

    public Builder exec(List<String> exec) {
      this.exec = new ArrayList<>(exec);
      return this;
    }

    public Builder exec(String... exec) {
      return exec(List.of(exec));
    }

    public Builder user(String user) {
      this.user = user;
      return this;
    }

    public Builder group(String group) {
      this.group = group;
      return this;
    }

    public Builder supplementaryGids(List<Integer> gids) {
      this.supplementaryGids = new ArrayList<>(gids);
      return this;
    }

    public Builder workingDirectory(String dir) {
      this.workingDirectory = dir;
      return this;
    }

    public Builder environment(List<EnvVar> env) {
      this.environment = new ArrayList<>(env);
      return this;
    }

    /** Sets a variable: replaced in place when present, appended otherwise. */
    public Builder setEnv(String name, String value) {
      EnvVar v = new EnvVar(name, value);
      for (int i = 0; i < environment.size(); i++) {
        if (environment.get(i).name().equals(name)) {
          environment.set(i, v);
          return this;
        }
      }
      environment.add(v);
      return this;
    }

    public Builder isolators(List<Isolator> isolators) {
      this.isolators = new ArrayList<>(isolators);
      return this;
    }

    /** Sets an isolator: replaces the one of the same name when present, appends otherwise. */
    public Builder setIsolator(Isolator isolator) {
      for (int i = 0; i < isolators.size(); i++) {
        if (isolators.get(i).name().equals(isolator.name())) {
          isolators.set(i, isolator);
          return this;
        }
      }
      isolators.add(isolator);
      return this;
    }

    public Builder mountPoints(List<MountPoint> mountPoints) {
      this.mountPoints = new ArrayList<>(mountPoints);
      return this;
    }

    public Builder addMountPoint(MountPoint mountPoint) {
      mountPoints.add(mountPoint);
      return this;
    }

    public Builder ports(List<Port> ports) {
      this.ports = new ArrayList<>(ports);
      return this;
    }

    public Builder addPort(Port port) {
      ports.add(port);
      return this;
    }

    public Builder eventHandlers(List<EventHandler> handlers) {
      this.eventHandlers = new ArrayList<>(handlers);
      return this;
    }

    public Builder addEventHandler(EventHandler handler) {
      eventHandlers.add(handler);
      return this;
    }

    public Builder userAnnotations(Map<String, String> m) {
      this.userAnnotations = new LinkedHashMap<>(m);
      return this;
    }

    public Builder userLabels(Map<String, String> m) {
      this.userLabels = new LinkedHashMap<>(m);
      return this;
    }

    /** @throws IllegalArgumentException when the app breaks appc's rules */
    public App build() {
      return new App(exec, user, group, supplementaryGids, workingDirectory, environment,
          isolators, mountPoints, ports, eventHandlers, userAnnotations, userLabels);
    }
  }
}
