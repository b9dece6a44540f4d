package io.jrkt.store;

import io.jrkt.appc.ImageId;
import io.jrkt.appc.ImageManifest;
import java.nio.file.Path;

/** One image of a rendering: its id, where its blob (uncompressed ACI) is, and its manifest. */
record Layer(ImageId id, Path blob, ImageManifest manifest) {}
