package io.jrkt.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.api.v1alpha.App;
import io.jrkt.api.v1alpha.Image;
import io.jrkt.api.v1alpha.ImageFilter;
import io.jrkt.api.v1alpha.Network;
import io.jrkt.api.v1alpha.Pod;
import io.jrkt.api.v1alpha.PodFilter;
import io.jrkt.api.v1alpha.PodState;
import java.util.List;
import org.junit.jupiter.api.Test;

class FiltersTest {
  private static final Pod POD = Pod.newBuilder().setId("p1")
      .setState(PodState.POD_STATE_RUNNING).setCgroup("/machine.slice/pod1")
      .addApps(App.newBuilder().setName("web").setImage(Image.newBuilder().setId("sha512-a")))
      .addApps(App.newBuilder().setName("log").setImage(Image.newBuilder().setId("sha512-b")))
      .addNetworks(Network.newBuilder().setName("default"))
      .addAnnotations(PodViews.kv("managed", "true")).addAnnotations(PodViews.kv("uid", "u1"))
      .build();

  @Test
  void noFiltersMatchEverything() {
    assertTrue(PodFilters.matchesAny(POD, List.of()));
    assertTrue(PodFilters.matchesAny(POD, List.of(PodFilter.getDefaultInstance())));
  }

  @Test
  void conditionsOfOneFilterAllHold() {
    PodFilter ok = PodFilter.newBuilder().addStates(PodState.POD_STATE_RUNNING)
        .addAppNames("web").addAppNames("log").addImageIds("sha512-b")
        .addNetworkNames("default").addAnnotations(PodViews.kv("managed", "true"))
        .addCgroups("/other").addCgroups("/machine.slice/pod1")
        .addPodSubCgroups("/machine.slice/pod1/system.slice").build();
    assertTrue(PodFilters.matches(POD, ok));
    assertFalse(PodFilters.matches(POD, ok.toBuilder().addAppNames("db").build()));
    assertFalse(PodFilters.matches(POD, ok.toBuilder()
        .addAnnotations(PodViews.kv("uid", "u2")).build()));
    assertFalse(PodFilters.matches(POD, ok.toBuilder().addStates(PodState.POD_STATE_EXITED)
        .clearStates().addStates(PodState.POD_STATE_EXITED).build()));
    assertFalse(PodFilters.matches(POD, ok.toBuilder().clearPodSubCgroups()
        .addPodSubCgroups("/machine.slice").build()));
  }

  @Test
  void anyFilterMayMatch() {
    PodFilter no = PodFilter.newBuilder().addIds("p2").build();
    PodFilter yes = PodFilter.newBuilder().addIds("p1").build();
    assertFalse(PodFilters.matchesAny(POD, List.of(no)));
    assertTrue(PodFilters.matchesAny(POD, List.of(no, yes)));
  }

  @Test
  void imageFiltersFollowRkt() {
    Image etcd = Image.newBuilder().setId("sha512-e").setName("coreos.com/etcd")
        .setImportTimestamp(100).addLabels(PodViews.kv("version", "3.0"))
        .addAnnotations(PodViews.kv("a", "b")).build();
    assertTrue(ImageFilters.matches(etcd, ImageFilter.newBuilder().addBaseNames("etcd").build()));
    Image backup = etcd.toBuilder().setName("k8s.io/etcd-backup").build();
    assertFalse(ImageFilters.matches(backup, ImageFilter.newBuilder().addBaseNames("etcd")
        .build()));
    assertTrue(ImageFilters.matches(backup, ImageFilter.newBuilder().addKeywords("etcd")
        .addKeywords("zzz").build()));
    assertTrue(ImageFilters.matches(etcd, ImageFilter.newBuilder().addPrefixes("coreos.com/")
        .addFullNames("coreos.com/etcd").addIds("sha512-e").build()));
    assertFalse(ImageFilters.matches(etcd, ImageFilter.newBuilder().setImportedAfter(100)
        .build()));
    assertTrue(ImageFilters.matches(etcd, ImageFilter.newBuilder().setImportedAfter(99)
        .setImportedBefore(101).build()));
    assertFalse(ImageFilters.matches(etcd, ImageFilter.newBuilder().setImportedBefore(100)
        .build()));
    assertTrue(ImageFilters.matches(etcd, ImageFilter.newBuilder()
        .addLabels(PodViews.kv("version", "3.0")).addAnnotations(PodViews.kv("a", "b")).build()));
    assertFalse(ImageFilters.matches(etcd, ImageFilter.newBuilder()
        .addLabels(PodViews.kv("version", "2.0")).build()));
  }
}
