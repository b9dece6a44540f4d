package io.jrkt.stage1.kvm;

import io.jrkt.appc.PodManifest;
import io.jrkt.stage1.Stage1Flavor;
import io.jrkt.stage1.Stage1Request;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The mixed-runtime policy of Frakti and Kata: a pod annotated
 * {@code io.kubernetes.cri.untrusted-workload: "true"} runs in a VM (stage1-kvm), unless it asks
 * for the host's network, which a VM cannot share. It applies only when no stage1 was asked for
 * by flag or by the kubelet's {@code stage1-name-override} annotation.
 */
public final class UntrustedWorkload {
  public static final String ANNOTATION = "io.kubernetes.cri.untrusted-workload";

  private UntrustedWorkload() {}

  /** The stage1 the pod gets for being untrusted; empty when the policy does not apply. */
  public static Optional<Stage1Request> select(PodManifest pod, KvmSettings kvm,
      Consumer<String> debug) {
    if (!pod.annotations().get(ANNOTATION).map("true"::equals).orElse(false)) {
      return Optional.empty();
    }
    if (kvm.hostNetwork()) {
      debug.accept("the pod is an untrusted workload (" + ANNOTATION + ") but asks for the "
          + "host's network, which a VM cannot share: keeping the default stage1");
      return Optional.empty();
    }
    debug.accept("the pod is an untrusted workload (" + ANNOTATION + "): running it in a VM "
        + "with " + Stage1Flavor.KVM.imageName());
    return Optional.of(new Stage1Request.ByName(Stage1Flavor.KVM.imageName(), Optional.empty()));
  }
}
