package io.jrkt.stage1;

import io.jrkt.appc.AcName;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One app of a run/prepare command line: the image argument and the per-app flags and arguments
 * that followed it. Absent optionals mean "as the image says".
 *
 * @param image the image as typed: a path, URL, {@code name[:version]}, {@code name,label=v}, or id
 * @param args the app arguments after {@code --}; present (possibly empty) when {@code --} was given
 * @param stdio {@code --stdin}/{@code --stdout}/{@code --stderr} modes, as {@code stdin=tty} etc.
 */
public record AppArgs(
    String image,
    Optional<AcName> name,
    Optional<String> exec,
    Optional<List<String>> args,
    Optional<String> workingDir,
    boolean readOnlyRootfs,
    List<MountArg> mounts,
    Optional<String> user,
    Optional<String> group,
    Optional<List<Integer>> supplementaryGids,
    List<KeyValue> annotations,
    List<KeyValue> userAnnotations,
    List<KeyValue> userLabels,
    List<KeyValue> environment,
    IsolatorArgs isolators,
    Optional<String> signature,
    List<KeyValue> stdio) {

  public AppArgs {
    Objects.requireNonNull(image, "image");
    if (image.isEmpty()) {
      throw new IllegalArgumentException("empty image argument");
    }
    args = copy(args);
    mounts = List.copyOf(mounts);
    supplementaryGids = copy(supplementaryGids);
    annotations = List.copyOf(annotations);
    userAnnotations = List.copyOf(userAnnotations);
    userLabels = List.copyOf(userLabels);
    environment = List.copyOf(environment);
    stdio = List.copyOf(stdio);
  }

  /** An immutable copy; spelled out because a method reference here costs start-up time. */
  static <T> Optional<List<T>> copy(Optional<List<T>> list) {
    return list.isPresent() ? Optional.of(List.copyOf(list.get())) : list;
  }

  /** An app with no per-app flags. */
  public static AppArgs of(String image) {
    return builder(image).build();
  }

  public static Builder builder(String image) {
    return new Builder(image);
  }

  /** Collects the per-app flags while the command line is read. */
  public static final class Builder {
    private final String image;
    private AcName name;
    private String exec;
    private List<String> args;
    private String workingDir;
    private boolean readOnlyRootfs;
    private final List<MountArg> mounts = new ArrayList<>();
    private String user;
    private String group;
    private List<Integer> supplementaryGids;
    private final List<KeyValue> annotations = new ArrayList<>();
    private final List<KeyValue> userAnnotations = new ArrayList<>();
    private final List<KeyValue> userLabels = new ArrayList<>();
    private final List<KeyValue> environment = new ArrayList<>();
    private String memory;
    private String cpu;
    private Long cpuShares;
    private List<String> capsRetain;
    private List<String> capsRemove;
    private SeccompArg seccomp;
    private Integer oomScoreAdj;
    private String signature;
    private final List<KeyValue> stdio = new ArrayList<>();

    private Builder(String image) {
      this.image = image;
    }

    public String image() {
      return image;
    }

    public Builder name(AcName v) {
      name = v;
      return this;
    }

    public Builder exec(String v) {
      exec = v;
      return this;
    }

    public Builder args(List<String> v) {
      args = List.copyOf(v);
      return this;
    }

    public boolean hasArgs() {
      return args != null;
    }

    public Builder workingDir(String v) {
      workingDir = v;
      return this;
    }

    public Builder readOnlyRootfs(boolean v) {
      readOnlyRootfs = v;
      return this;
    }

    public Builder mount(MountArg v) {
      mounts.add(v);
      return this;
    }

    public Builder user(String v) {
      user = v;
      return this;
    }

    public Builder group(String v) {
      group = v;
      return this;
    }

    public Builder supplementaryGids(List<Integer> v) {
      supplementaryGids = List.copyOf(v);
      return this;
    }

    public Builder annotation(KeyValue v) {
      annotations.add(v);
      return this;
    }

    public Builder userAnnotation(KeyValue v) {
      userAnnotations.add(v);
      return this;
    }

    public Builder userLabel(KeyValue v) {
      userLabels.add(v);
      return this;
    }

    public Builder environment(KeyValue v) {
      environment.add(v);
      return this;
    }

    public Builder memory(String v) {
      memory = v;
      return this;
    }

    public Builder cpu(String v) {
      cpu = v;
      return this;
    }

    public Builder cpuShares(long v) {
      cpuShares = v;
      return this;
    }

    public Builder capsRetain(List<String> v) {
      capsRetain = v;
      return this;
    }

    public Builder capsRemove(List<String> v) {
      capsRemove = v;
      return this;
    }

    public boolean hasCapsRetain() {
      return capsRetain != null;
    }

    public boolean hasCapsRemove() {
      return capsRemove != null;
    }

    public Builder seccomp(SeccompArg v) {
      seccomp = v;
      return this;
    }

    public Builder oomScoreAdj(int v) {
      oomScoreAdj = v;
      return this;
    }

    public Builder signature(String v) {
      signature = v;
      return this;
    }

    public Builder stdio(KeyValue v) {
      stdio.removeIf(s -> s.key().equals(v.key()));
      stdio.add(v);
      return this;
    }

    public AppArgs build() {
      IsolatorArgs iso = new IsolatorArgs(Optional.ofNullable(memory), Optional.ofNullable(cpu),
          Optional.ofNullable(cpuShares), Optional.ofNullable(capsRetain),
          Optional.ofNullable(capsRemove), Optional.ofNullable(seccomp),
          Optional.ofNullable(oomScoreAdj));
      return new AppArgs(image, Optional.ofNullable(name), Optional.ofNullable(exec),
          Optional.ofNullable(args), Optional.ofNullable(workingDir), readOnlyRootfs, mounts,
          Optional.ofNullable(user), Optional.ofNullable(group),
          Optional.ofNullable(supplementaryGids), annotations, userAnnotations, userLabels,
          environment, iso, Optional.ofNullable(signature), stdio);
    }
  }
}
