package io.jrkt.stage1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageArgsParserTest {
  private static List<AppArgs> parse(String... words) throws ArgsException {
    return ImageArgsParser.parse(List.of(words));
  }

  private static String error(String... words) {
    return assertThrows(ArgsException.class, () -> parse(words)).getMessage();
  }

  @Test
  void nameArgsAndSecondImage() throws ArgsException {
    List<AppArgs> apps = parse("a.aci", "--name=x", "--", "a", "b", "---", "b.aci");
    assertEquals(2, apps.size());
    assertEquals("a.aci", apps.get(0).image());
    assertEquals("x", apps.get(0).name().get().value());
    assertEquals(Optional.of(List.of("a", "b")), apps.get(0).args());
    assertEquals("b.aci", apps.get(1).image());
    assertTrue(apps.get(1).name().isEmpty());
    assertTrue(apps.get(1).args().isEmpty());
  }

  @Test
  void appArgsMayLookLikeFlags() throws ArgsException {
    List<AppArgs> apps = parse("a.aci", "--", "--name=y", "-c", "--", "x");
    assertEquals(1, apps.size());
    assertEquals(List.of("--name=y", "-c", "--", "x"), apps.get(0).args().get());
    assertTrue(apps.get(0).name().isEmpty());
  }

  @Test
  void emptyArgsAfterDoubleDashReplaceTheImageArgs() throws ArgsException {
    AppArgs a = parse("a.aci", "--").get(0);
    assertEquals(Optional.of(List.of()), a.args());
  }

  @Test
  void imagesWithoutSeparator() throws ArgsException {
    List<AppArgs> apps = parse("a.aci", "b.aci", "--exec", "/bin/true", "c");
    assertEquals(List.of("a.aci", "b.aci", "c"), apps.stream().map(AppArgs::image).toList());
    assertEquals(Optional.of("/bin/true"), apps.get(1).exec());
    assertTrue(apps.get(0).exec().isEmpty());
  }

  @Test
  void everyPerAppFlag() throws ArgsException {
    AppArgs a = parse("img", "--name", "web", "--exec=/bin/sh", "--working-dir=/srv",
        "--readonly-rootfs", "--mount", "volume=data,target=/data", "--user=1000",
        "--group=users", "--supplementary-gids=10,20", "--annotation=a.b/c=1",
        "--user-annotation=k=v=w", "--user-label=l=1", "--environment=FOO=bar",
        "--memory=128M", "--cpu=500m", "--cpu-shares=512", "--caps-retain=CAP_CHOWN,CAP_KILL",
        "--seccomp", "mode=remove,errno=EPERM,chmod,@docker/default-blacklist",
        "--oom-score-adj=-10", "--signature=img.asc", "--stdin=tty").get(0);
    assertEquals("web", a.name().get().value());
    assertEquals(Optional.of("/bin/sh"), a.exec());
    assertEquals(Optional.of("/srv"), a.workingDir());
    assertTrue(a.readOnlyRootfs());
    assertEquals("data", a.mounts().get(0).volume().value());
    assertEquals("/data", a.mounts().get(0).target());
    assertEquals(Optional.of("1000"), a.user());
    assertEquals(Optional.of("users"), a.group());
    assertEquals(Optional.of(List.of(10, 20)), a.supplementaryGids());
    assertEquals(List.of(new KeyValue("a.b/c", "1")), a.annotations());
    assertEquals(List.of(new KeyValue("k", "v=w")), a.userAnnotations());
    assertEquals(List.of(new KeyValue("l", "1")), a.userLabels());
    assertEquals(List.of(new KeyValue("FOO", "bar")), a.environment());
    assertEquals(Optional.of("128M"), a.isolators().memory());
    assertEquals(Optional.of("500m"), a.isolators().cpu());
    assertEquals(Optional.of(512L), a.isolators().cpuShares());
    assertEquals(Optional.of(List.of("CAP_CHOWN", "CAP_KILL")), a.isolators().capsRetain());
    SeccompArg s = a.isolators().seccomp().get();
    assertFalse(s.retain());
    assertEquals(Optional.of("EPERM"), s.errno());
    assertEquals(List.of("chmod", "@docker/default-blacklist"), s.syscalls());
    assertEquals(Optional.of(-10), a.isolators().oomScoreAdj());
    assertEquals(Optional.of("img.asc"), a.signature());
    assertEquals(List.of(new KeyValue("stdin", "tty")), a.stdio());
  }

  @Test
  void readonlyRootfsTakesAnExplicitValueOnlyWithEquals() throws ArgsException {
    List<AppArgs> apps = parse("a", "--readonly-rootfs=false", "b", "--readonly-rootfs", "c");
    assertFalse(apps.get(0).readOnlyRootfs());
    assertTrue(apps.get(1).readOnlyRootfs());
    assertEquals("c", apps.get(2).image());
  }

  @Test
  void lastValueOfASingleFlagWins() throws ArgsException {
    assertEquals("b", parse("img", "--name=a", "--name=b").get(0).name().get().value());
  }

  @Test
  void errorsNameTheProblem() {
    assertTrue(error().startsWith("no image given"));
    assertEquals("--name must follow an image", error("--name=x", "img"));
    assertTrue(error("img", "--nmae=x").startsWith("unknown flag --nmae (after image img)"));
    assertTrue(error("img", "-x").startsWith("unknown flag -x (after image img)"));
    assertEquals("app arguments (\"--\") must follow an image", error("--", "a"));
    assertEquals("\"---\" must be followed by another image", error("img", "---"));
    assertEquals("--name must follow an image", error("img", "---", "--name=x", "b"));
    assertEquals("--exec needs a value (after image img)", error("img", "--exec"));
    assertTrue(error("img", "--name=Bad_Name").startsWith("--name=Bad_Name: not a valid app"));
    assertEquals("--working-dir=srv: must be an absolute path", error("img", "--working-dir=srv"));
    assertTrue(error("img", "--memory=lots").startsWith("--memory=lots: not a resource quantity"));
    assertEquals("--cpu-shares=1: want an integer from 2 to 262144",
        error("img", "--cpu-shares=1"));
    assertEquals("--oom-score-adj=2000: want an integer from -1000 to 1000",
        error("img", "--oom-score-adj=2000"));
    assertTrue(error("img", "--caps-retain=CAP_A", "--caps-remove=CAP_B")
        .contains("--caps-retain and --caps-remove exclude each other"));
    assertTrue(error("img", "--caps-retain=chown").contains("\"chown\" is not a capability"));
    assertTrue(error("img", "--seccomp=chmod").contains("must start with mode=retain"));
    assertTrue(error("img", "--seccomp=mode=retain").contains("name at least one syscall"));
    assertTrue(error("img", "--supplementary-gids=1,x").contains("\"x\" is not a group id"));
    assertEquals("--environment=FOO: want KEY=VALUE", error("img", "--environment=FOO"));
    assertTrue(error("img", "--environment=1A=b").contains("\"1A\" is not a valid variable"));
    assertTrue(error("img", "--mount=volume=d").contains("want volume=NAME,target=PATH"));
    assertTrue(error("img", "--mount=volume=d,target=rel").contains("must be an absolute path"));
    assertTrue(error("img", "--stdout=file").contains("must be one of null, tty, stream, log"));
    assertTrue(error("img", "--readonly-rootfs=yes").contains("must be true or false"));
  }
}
