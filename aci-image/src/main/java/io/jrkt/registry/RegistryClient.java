package io.jrkt.registry;

import io.jrkt.json.Json;
import io.jrkt.json.JsonException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The Docker Registry HTTP API v2 (OCI distribution spec) as far as pulling needs it: GET of
 * manifests and blobs, with the token flow ({@code 401} with a Bearer challenge, a token from the
 * realm, with basic credentials when configured) or basic auth. HTTPS unless plain HTTP is
 * allowed. Bodies are streamed; nothing is buffered whole except small JSON documents.
 */
public final class RegistryClient {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
  /** A registry that sends nothing for this long is treated as a dropped connection. */
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
  private static final int MAX_TOKEN_BYTES = 1 << 20;

  private final String image;
  private final DockerReference ref;
  private final String base;
  private final Credentials credentials;
  private volatile String authorization;

  /**
   * @param image the image as the user named it (for messages)
   * @param plainHttp talk HTTP instead of HTTPS
   * @param credentials for the registry's host; null for none
   */
  public RegistryClient(String image, DockerReference ref, boolean plainHttp,
      Credentials credentials) {
    this.image = image;
    this.ref = ref;
    this.base = (plainHttp ? "http://" : "https://") + ref.host() + "/v2/" + ref.repository();
    this.credentials = credentials;
  }

  /** A response whose body is still to be read (and closed by the caller). */
  public record Response(int status, HttpURLConnection raw, InputStream body) {
    public Optional<String> header(String name) {
      return Optional.ofNullable(raw.getHeaderField(name));
    }
  }

  /** GET {@code /v2/<repo>/manifests/<ref>}. */
  public Response manifest(String reference, String accept) throws RegistryException {
    return get(base + "/manifests/" + reference, Map.of("Accept", accept), "manifest "
        + reference);
  }

  /** GET {@code /v2/<repo>/blobs/<digest>}, from byte {@code offset} on when it is not 0. */
  public Response blob(String digest, long offset) throws RegistryException {
    Map<String, String> headers = offset > 0 ? Map.of("Range", "bytes=" + offset + "-")
        : Map.of();
    return get(base + "/blobs/" + digest, headers, "blob " + digest);
  }

  private Response get(String url, Map<String, String> headers, String what)
      throws RegistryException {
    Response r = send(url, headers, authorization, what);
    if (r.status == 401) {
      String challenge = r.header("WWW-Authenticate").orElse(null);
      discard(r);
      authorization = authorize(AuthChallenge.parse(challenge), what);
      r = send(url, headers, authorization, what);
      if (r.status == 401) {
        discard(r);
        throw new RegistryException(image, "registry " + ref.host() + " refused "
            + (credentials == null ? "access without credentials" : "the credentials of user \""
            + credentials.user() + "\"") + " to " + what + " (401 Unauthorized)", 401, null);
      }
    }
    if (r.status == 200 || r.status == 206) {
      return r;
    }
    String detail = errorDetail(r);
    if (r.status == 404) {
      throw new RegistryException(image, "registry " + ref.host() + " has no " + what
          + " in repository " + ref.repository() + " (404 Not Found" + detail + ")", 404, null);
    }
    if (r.status == 403) {
      throw new RegistryException(image, "registry " + ref.host() + " denied access to " + what
          + " (403 Forbidden" + detail + ")", 403, null);
    }
    throw new RegistryException(image, "registry " + ref.host() + " answered " + r.status
        + " for " + what + detail, r.status, null);
  }

  /**
   * One request. {@link HttpURLConnection} rather than {@code java.net.http}: the latter's
   * selector thread, executor and flow plumbing cost a CLI start about half a second of CPU and
   * every body buffer a hand-over between threads; this reads the socket in the calling thread
   * and keeps connections alive between requests all the same.
   */
  private Response send(String url, Map<String, String> headers, String auth, String what)
      throws RegistryException {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
      c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
      c.setReadTimeout((int) READ_TIMEOUT.toMillis());
      c.setInstanceFollowRedirects(true);
      c.setUseCaches(false);
      c.setRequestProperty("User-Agent", "jrkt");
      headers.forEach(c::setRequestProperty);
      if (auth != null) {
        c.setRequestProperty("Authorization", auth);
      }
      int status = c.getResponseCode();
      InputStream body = status < 400 ? c.getInputStream() : c.getErrorStream();
      return new Response(status, c, body != null ? body : InputStream.nullInputStream());
    } catch (IOException e) {
      throw unreachable(what, e);
    } catch (IllegalArgumentException e) {
      throw new RegistryException(image, "invalid registry URL " + url + ": " + e.getMessage(),
          RegistryException.NOT_HTTP, e);
    }
  }

  RegistryException unreachable(String what, IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException) {
        return new RegistryException(image, "cannot fetch " + what + " from registry "
            + ref.host() + ": TLS failed (" + t.getMessage() + "); for a registry that speaks"
            + " plain HTTP, pass --insecure-options=http", RegistryException.NOT_HTTP, e);
      }
    }
    String why = e instanceof ConnectException ? "connection refused"
        : e instanceof InterruptedIOException ? "timed out"
        : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e.getMessage() != null && e.getMessage().contains("Invalid Http response")) {
      return new RegistryException(image, "cannot fetch " + what + " from registry "
          + ref.host() + ": the answer is not HTTP", RegistryException.NOT_HTTP, e);
    }
    return new RegistryException(image, "cannot fetch " + what + " from registry " + ref.host()
        + ": " + why, 0, e);
  }

  /** The Authorization header value a challenge asks for. */
  private String authorize(AuthChallenge c, String what) throws RegistryException {
    if (c == null) {
      throw new RegistryException(image, "registry " + ref.host() + " asks for authentication"
          + " to " + what + " without saying how (401 without WWW-Authenticate)", 401, null);
    }
    if (c.isBasic()) {
      if (credentials == null) {
        throw new RegistryException(image, "registry " + ref.host() + " needs credentials for "
            + what + " (401 Unauthorized); add a dockerAuth entry in auth.d", 401, null);
      }
      return credentials.basicHeader();
    }
    if (!c.isBearer() || c.params().get("realm") == null) {
      throw new RegistryException(image, "registry " + ref.host()
          + " asks for an unsupported authentication scheme \"" + c.scheme() + "\"", 401, null);
    }
    StringBuilder url = new StringBuilder(c.params().get("realm"));
    char sep = url.indexOf("?") < 0 ? '?' : '&';
    String scope = c.params().getOrDefault("scope", "repository:" + ref.repository() + ":pull");
    for (String[] kv : new String[][] {{"service", c.params().get("service")},
        {"scope", scope}}) {
      if (kv[1] != null) {
        url.append(sep).append(kv[0]).append('=')
            .append(URLEncoder.encode(kv[1], StandardCharsets.UTF_8));
        sep = '&';
      }
    }
    Response r = send(url.toString(), Map.of(),
        credentials == null ? null : credentials.basicHeader(), "a token");
    try (InputStream in = r.body()) {
      byte[] body = in.readNBytes(MAX_TOKEN_BYTES);
      if (r.status != 200) {
        throw new RegistryException(image, "token service " + URI.create(url.toString())
            .getHost() + " refused a token for " + ref.repository() + " (" + r.status + ")",
            r.status == 401 ? 401 : r.status, null);
      }
      Map<String, Object> m = Json.asObject(Json.parse(body), "token answer");
      Object token = m.get("token") != null ? m.get("token") : m.get("access_token");
      if (!(token instanceof String t) || t.isEmpty()) {
        throw new RegistryException(image, "token service answered without a token", 0, null);
      }
      return "Bearer " + t;
    } catch (IOException e) {
      throw unreachable("a token", e);
    } catch (JsonException e) {
      throw new RegistryException(image, "token service answered invalid JSON: "
          + e.getMessage(), 0, e);
    }
  }

  /** The registry's error code and message, if its body has them. */
  private static String errorDetail(Response r) {
    try (InputStream in = r.body()) {
      byte[] body = in.readNBytes(64 * 1024);
      Object v = Json.parse(body);
      if (v instanceof Map<?, ?> m && m.get("errors") instanceof java.util.List<?> l
          && !l.isEmpty() && l.get(0) instanceof Map<?, ?> e) {
        return ": " + e.get("code") + (e.get("message") != null ? " " + e.get("message") : "");
      }
    } catch (IOException | JsonException | RuntimeException e) {
      // No detail then.
    }
    return "";
  }

  static void discard(Response r) {
    try {
      r.body().close();
    } catch (IOException ignored) {
      // The connection is dropped then; nothing to do.
    }
  }
}
