package io.jrkt.stage1;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OverlaySupportTest {
  @Test
  void findsOverlayInProcFilesystems() {
    assertTrue(OverlaySupport.listsOverlay("nodev\tsysfs\n\text4\nnodev\toverlay\n"));
    assertFalse(OverlaySupport.listsOverlay("nodev\tsysfs\n\text4\nnodev\toverlayx\n"));
    assertFalse(OverlaySupport.listsOverlay(""));
  }

  @Test
  void upperLayersOnlyOnFilesystemsThatCarryThem() {
    assertTrue(OverlaySupport.upperCapable(0xEF53L)); // ext4
    assertTrue(OverlaySupport.upperCapable(0x01021994L)); // tmpfs
    assertFalse(OverlaySupport.upperCapable(0x794c7630L)); // overlayfs itself
    assertFalse(OverlaySupport.upperCapable(0x6969L)); // nfs
    assertFalse(OverlaySupport.upperCapable(0x4d44L)); // vfat
  }
}
