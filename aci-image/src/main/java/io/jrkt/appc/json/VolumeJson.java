package io.jrkt.appc.json;

import io.jrkt.appc.AcName;
import io.jrkt.appc.AppcException;
import io.jrkt.appc.Volume;
import java.util.LinkedHashMap;
import java.util.Map;

/** A pod volume: {@code {name, kind, source, readOnly, recursive, mode, uid, gid}}. */
public final class VolumeJson {
  private VolumeJson() {}

  public static Volume fromJson(Object parsed) throws AppcException {
    return fromJson(parsed, "volume");
  }

  public static Volume fromJson(Object parsed, String at) throws AppcException {
    Map<String, Object> o = Fields.object(parsed, at);
    AcName name = AppJson.acName(o, "name", at);
    String kind = Fields.string(o, "kind", at);
    String source = Fields.string(o, "source", at);
    Boolean readOnly = Fields.bool(o, "readOnly", at);
    Boolean recursive = Fields.bool(o, "recursive", at);
    String mode = Fields.string(o, "mode", at);
    Long uid = Fields.integer(o, "uid", at, 0, Integer.MAX_VALUE);
    Long gid = Fields.integer(o, "gid", at, 0, Integer.MAX_VALUE);
    try {
      return new Volume(name, kind, source, readOnly, recursive, mode,
          uid == null ? null : uid.intValue(), gid == null ? null : gid.intValue());
    } catch (IllegalArgumentException e) {
      throw Fields.error(at, e);
    }
  }

  public static Map<String, Object> toJson(Volume v) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("name", v.name().value());
    o.put("kind", v.kind());
    Fields.putIfNotNull(o, "source", v.source());
    Fields.putIfNotNull(o, "readOnly", v.readOnly());
    Fields.putIfNotNull(o, "recursive", v.recursive());
    Fields.putIfNotNull(o, "mode", v.mode());
    Fields.putIfNotNull(o, "uid", v.uid());
    Fields.putIfNotNull(o, "gid", v.gid());
    return o;
  }
}
