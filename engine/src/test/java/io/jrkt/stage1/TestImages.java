package io.jrkt.stage1;

import io.jrkt.appc.AcIdentifier;
import io.jrkt.appc.App;
import io.jrkt.appc.ImageId;
import io.jrkt.appc.ImageManifest;

/** Image manifests for tests. */
final class TestImages {
  private TestImages() {}

  static ImageId id(char hexDigit) {
    return new ImageId("sha512-" + String.valueOf(hexDigit).repeat(64));
  }

  static ImageManifest.Builder manifest(String name) {
    return ImageManifest.builder(new AcIdentifier(name)).label("version", "1.0")
        .label("os", "linux").label("arch", "amd64");
  }

  static ResolvedImage image(char hexDigit, String name, App app) {
    return new ResolvedImage(id(hexDigit), manifest(name).app(app).build());
  }

  static App.Builder app(String... exec) {
    return App.builder().exec(exec).user("0").group("0");
  }
}
