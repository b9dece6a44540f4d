package io.jrkt.appc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VolumeTest {
  private static final AcName DATA = new AcName("data");

  @Test
  void parsesHostVolume() throws Exception {
    Volume v = Volume.parseCli("data,kind=host,source=/srv/data,readOnly=true,recursive=false");
    assertEquals(new Volume(DATA, "host", "/srv/data", true, false, null, null, null), v);
    assertEquals(true, v.isReadOnly());
  }

  @Test
  void hostVolumeOptionsAreOptional() throws Exception {
    Volume v = Volume.parseCli("data,kind=host,source=/srv/data");
    assertEquals(new Volume(DATA, "host", "/srv/data", null, null, null, null, null), v);
    assertEquals(false, v.isReadOnly());
  }

  @Test
  void emptyVolumeGetsDefaults() throws Exception {
    assertEquals(new Volume(DATA, "empty", null, null, null, "0755", 0, 0),
        Volume.parseCli("data,kind=empty"));
    assertEquals(new Volume(DATA, "empty", null, false, null, "0700", 1000, 100),
        Volume.parseCli("data,kind=empty,mode=0700,uid=1000,gid=100,readOnly=0"));
  }

  @Test
  void sourceMayContainCommasNotButEquals() throws Exception {
    assertEquals("/srv/a=b", Volume.parseCli("data,kind=host,source=/srv/a=b").source());
  }

  @Test
  void printsWhatItParses() throws Exception {
    for (String s : new String[] {
        "data,kind=host,source=/srv/data,readOnly=true,recursive=false",
        "data,kind=empty,mode=0700,uid=1000,gid=100"}) {
      assertEquals(s, Volume.parseCli(s).toCli());
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Data,kind=host,source=/x | volume \"Data,kind=host,source=/x\": name \"Data\" is not a"
          + " valid AC Name (lowercase letters and digits, joined by single dashes)",
      "data | volume \"data\": kind is required (host or empty)",
      "data,kind=nfs | volume \"data,kind=nfs\": kind \"nfs\" is not one of \"host\", \"empty\"",
      "data,kind=host | volume \"data,kind=host\": source is required for a host volume",
      "data,kind=host,source=srv | volume \"data,kind=host,source=srv\": source \"srv\" must be an absolute path",
      "data,kind=host,source=/x,mode=0755 | volume \"data,kind=host,source=/x,mode=0755\": mode, uid and gid are only allowed for"
          + " an empty volume",
      "data,kind=empty,source=/x | volume \"data,kind=empty,source=/x\": source is not allowed for an empty volume",
      "data,kind=empty,mode=rwx | volume \"data,kind=empty,mode=rwx\": mode \"rwx\" is not an octal mode like 0755",
      "data,kind=empty,uid=x | volume \"data,kind=empty,uid=x\": uid \"x\" is not a number",
      "data,kind=host,source=/x,readOnly=yes | volume \"data,kind=host,source=/x,readOnly=yes\":"
          + " readOnly \"yes\" is not true or false",
      "data,kind=host,kind=empty | volume \"data,kind=host,kind=empty\": kind is given twice",
      "data,kind=host,source=/x,ro=true | volume \"data,kind=host,source=/x,ro=true\": unknown"
          + " parameter \"ro\" (known: kind, source, readOnly, recursive, mode, uid, gid)",
      "data,kind=host,/x | volume \"data,kind=host,/x\": \"/x\" is not key=value"})
  void rejectsBadCliVolumes(String spec, String message) {
    AppcException e = assertThrows(AppcException.class, () -> Volume.parseCli(spec));
    assertEquals(message, e.getMessage());
  }
}
