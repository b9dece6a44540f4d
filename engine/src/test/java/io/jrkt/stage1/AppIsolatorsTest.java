package io.jrkt.stage1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.appc.AcName;
import io.jrkt.appc.App;
import io.jrkt.appc.Isolator;
import io.jrkt.appc.PodManifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppIsolatorsTest {
  private static final String WHERE = "app \"web\"";

  @TempDir
  Path rootfs;

  private static AppIsolators of(Isolator... isolators) throws Stage1Exception {
    return AppIsolators.of(List.of(isolators), WHERE);
  }

  @Test
  void withoutIsolatorsTheAppGetsRktsDefaultCapabilitiesAndNoLimits() throws Exception {
    AppIsolators iso = of();
    assertEquals(AppIsolators.DEFAULT_CAPS, iso.capabilities());
    assertEquals(14, iso.capabilities().size());
    assertFalse(iso.capabilities().contains("CAP_SYS_ADMIN"));
    assertFalse(iso.noNewPrivileges());
    assertEquals(Optional.empty(), iso.oomScoreAdj());
    assertEquals(OptionalLong.empty(), iso.memoryLimitBytes());
    assertEquals(OptionalLong.empty(), iso.cpuQuotaMillis());
  }

  @Test
  void retainSetReplacesTheDefaultAndRemoveSetSubtractsFromIt() throws Exception {
    assertEquals(List.of("CAP_NET_ADMIN", "CAP_CHOWN"), of(Isolator.set(
        Isolator.CAPABILITIES_RETAIN, List.of("CAP_NET_ADMIN", "CAP_CHOWN", "CAP_NET_ADMIN"),
        null)).capabilities());
    List<String> removed = of(Isolator.set(Isolator.CAPABILITIES_REMOVE,
        List.of("CAP_CHOWN", "CAP_SYS_ADMIN"), null)).capabilities();
    assertEquals(13, removed.size());
    assertFalse(removed.contains("CAP_CHOWN"));
    assertTrue(removed.contains("CAP_KILL"));
  }

  @Test
  void unknownCapabilitiesAreRefusedNamingTheApp() {
    Stage1Exception e = assertThrows(Stage1Exception.class, () -> of(Isolator.set(
        Isolator.CAPABILITIES_REMOVE, List.of("CAP_NO_SUCH"), null)));
    assertEquals("app \"web\": isolator os/linux/capabilities-remove-set: unknown capability "
        + "CAP_NO_SUCH", e.getMessage());
  }

  @Test
  void noNewPrivilegesAndOomScoreAdj() throws Exception {
    AppIsolators iso = of(Isolator.noNewPrivileges(true), Isolator.oomScoreAdj(-500));
    assertTrue(iso.noNewPrivileges());
    assertEquals(Optional.of(-500), iso.oomScoreAdj());
    assertFalse(of(Isolator.noNewPrivileges(false)).noNewPrivileges());
  }

  @Test
  void memoryInBytesAndCpuInMilliCoresRoundedUp() throws Exception {
    AppIsolators iso = of(Isolator.resource(Isolator.MEMORY, null, "64Mi"),
        Isolator.resource(Isolator.CPU, "250m", "1.5"));
    assertEquals(OptionalLong.of(64L << 20), iso.memoryLimitBytes());
    assertEquals(OptionalLong.of(1500), iso.cpuQuotaMillis());
    assertEquals(OptionalLong.of(5_000_001), of(Isolator.resource(Isolator.MEMORY, "5000000.5",
        null)).memoryLimitBytes());
  }

  @Test
  void limitsTheKernelWouldNotHonourAreRefused() {
    Stage1Exception memory = assertThrows(Stage1Exception.class,
        () -> of(Isolator.resource(Isolator.MEMORY, "1M", "1M")));
    assertEquals("app \"web\": memory limit 1M is below the minimum of 4Mi (4194304 bytes)",
        memory.getMessage());
    Stage1Exception cpu = assertThrows(Stage1Exception.class,
        () -> of(Isolator.resource(Isolator.CPU, "5m", "5m")));
    assertEquals("app \"web\": CPU limit 5m is below the minimum of 10m", cpu.getMessage());
  }

  @Test
  void planDirectivesFollowTheAppsOtherDirectives() throws Exception {
    AppIsolators iso = new AppIsolators(List.of("CAP_CHOWN", "CAP_KILL"), true, Optional.of(-7),
        OptionalLong.of(33554432), OptionalLong.of(250),
        new SeccompFilter(false, 1, List.of("chmod", "fchmodat")));
    AppPlan app = new AppPlan(new AcName("a"), "stage1/rootfs/opt/stage2/a/rootfs", 0, 0,
        List.of(), "/", List.of(), List.of("/bin/true"), List.of(), false, Optional.of(iso));
    assertEquals("version\0001\0app\0a\0root\0stage1/rootfs/opt/stage2/a/rootfs\0uid\0000\0"
        + "gid\0000\0groups\0000\0cwd\0/\0env\0000\0exec\0001\0/bin/true\0readonly-rootfs\0000\0"
        + "no-new-privileges\0001\0oom-score-adj\0-7\0caps\0002\0CAP_CHOWN\0CAP_KILL\0"
        + "memory-limit\00033554432\0cpu-quota\000250\0"
        + "seccomp\0remove\0001\0002\0chmod\0fchmodat\0",
        new String(new RunPlan(List.of(app)).encode(), StandardCharsets.UTF_8));
    AppPlan bare = new AppPlan(new AcName("a"), "r", 0, 0, List.of(), "/", List.of(),
        List.of("/bin/true"), List.of(), false, Optional.of(of()));
    String text = new String(new RunPlan(List.of(bare)).encode(), StandardCharsets.UTF_8);
    List<String> whitelist = SeccompFilter.defaultFilter().syscalls();
    assertTrue(text.endsWith("readonly-rootfs\0000\0no-new-privileges\0000\0caps\00014\0"
        + String.join("\0", AppIsolators.DEFAULT_CAPS) + "\0seccomp\0retain\0000\0"
        + whitelist.size() + "\0" + String.join("\0", whitelist) + "\0"), text);
  }

  @Test
  void plannerEmitsThemOnlyForFlavorsThatTakeThem() throws Exception {
    App app = TestImages.app("/bin/web").isolators(List.of(Isolator.noNewPrivileges(true)))
        .build();
    List<String> words = List.of("x", "--memory=64Mi", "--cpu=500m", "--caps-remove=CAP_CHOWN",
        "--oom-score-adj=100");
    AppPlan coreos = plan(Stage1Flavor.COREOS, words, app);
    AppIsolators iso = coreos.isolators().orElseThrow();
    assertTrue(iso.noNewPrivileges());
    assertEquals(OptionalLong.of(64L << 20), iso.memoryLimitBytes());
    assertEquals(OptionalLong.of(500), iso.cpuQuotaMillis());
    assertEquals(Optional.of(100), iso.oomScoreAdj());
    assertFalse(iso.capabilities().contains("CAP_CHOWN"));
    assertEquals(Optional.empty(), plan(Stage1Flavor.FLY, List.of("x", "--memory=64Mi"),
        app).isolators());
    assertEquals(Optional.empty(), plan(Stage1Flavor.custom("example.com/s1"), words, app)
        .isolators());
    Stage1Exception e = assertThrows(Stage1Exception.class,
        () -> plan(Stage1Flavor.COREOS, List.of("x", "--memory=1Mi"), app));
    assertTrue(e.getMessage().startsWith("app \"web\": memory limit 1Mi is below"),
        e.getMessage());
  }

  private AppPlan plan(Stage1Flavor flavor, List<String> words, App app) throws Exception {
    ResolvedImage img = TestImages.image('a', "example.com/web", app);
    PodArgs args = new PodArgs(ImageArgsParser.parse(words), List.of(), List.of(), List.of(),
        List.of(), false, List.of());
    PodManifest pod = new PodManifestGenerator("1.30.0", Map.of()).generate(args,
        List.of(img), flavor.imageName());
    return new RunPlanner(flavor, Path.of("/var/lib/rkt/pods/run/u"), null).plan(pod,
        Map.of(pod.apps().get(0).name(), img.manifest()), a -> rootfs).plan().apps().get(0);
  }
}
