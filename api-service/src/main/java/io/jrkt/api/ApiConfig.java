package io.jrkt.api;

import java.nio.file.Path;

/** The service's own global flags, reported by GetInfo, and the data directory it reads. */
record ApiConfig(Path dataDir, String systemConfigDir, String localConfigDir,
    String userConfigDir, String insecureFlags, boolean trustKeysFromHttps, String rktVersion) {}
