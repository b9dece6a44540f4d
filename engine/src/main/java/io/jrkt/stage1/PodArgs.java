package io.jrkt.stage1;

import java.util.List;

/**
 * The pod-level part of a run/prepare command line that shapes the pod manifest.
 *
 * @param apps the images and their per-app flags, in order
 * @param mounts {@code --mount} given before the first image: applies to every app
 * @param volumes {@code --volume} values, in rkt's {@code NAME,kind=...} syntax
 * @param setEnv {@code --set-env} values
 * @param setEnvFile the variables read from {@code --set-env-file}
 * @param inheritEnv {@code --inherit-env}
 * @param ports {@code --port=NAME:[HOSTIP:]HOSTPORT} values
 */
public record PodArgs(List<AppArgs> apps, List<MountArg> mounts, List<String> volumes,
    List<KeyValue> setEnv, List<KeyValue> setEnvFile, boolean inheritEnv, List<String> ports) {

  public PodArgs {
    apps = List.copyOf(apps);
    mounts = List.copyOf(mounts);
    volumes = List.copyOf(volumes);
    setEnv = List.copyOf(setEnv);
    setEnvFile = List.copyOf(setEnvFile);
    ports = List.copyOf(ports);
  }

  /** Just the apps, no pod-level flags. */
  public static PodArgs of(List<AppArgs> apps) {
    return new PodArgs(apps, List.of(), List.of(), List.of(), List.of(), false, List.of());
  }
}
