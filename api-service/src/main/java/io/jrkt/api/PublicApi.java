package io.jrkt.api;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.jrkt.api.v1alpha.EventFilter;
import io.jrkt.api.v1alpha.EventType;
import io.jrkt.api.v1alpha.GetInfoRequest;
import io.jrkt.api.v1alpha.GetInfoResponse;
import io.jrkt.api.v1alpha.GetLogsRequest;
import io.jrkt.api.v1alpha.GetLogsResponse;
import io.jrkt.api.v1alpha.GlobalFlags;
import io.jrkt.api.v1alpha.Image;
import io.jrkt.api.v1alpha.ImageFilter;
import io.jrkt.api.v1alpha.Info;
import io.jrkt.api.v1alpha.InspectImageRequest;
import io.jrkt.api.v1alpha.InspectImageResponse;
import io.jrkt.api.v1alpha.InspectPodRequest;
import io.jrkt.api.v1alpha.InspectPodResponse;
import io.jrkt.api.v1alpha.ListImagesRequest;
import io.jrkt.api.v1alpha.ListImagesResponse;
import io.jrkt.api.v1alpha.ListPodsRequest;
import io.jrkt.api.v1alpha.ListPodsResponse;
import io.jrkt.api.v1alpha.ListenEventsRequest;
import io.jrkt.api.v1alpha.ListenEventsResponse;
import io.jrkt.api.v1alpha.Pod;
import io.jrkt.api.v1alpha.PodFilter;
import io.jrkt.api.v1alpha.PodState;
import io.jrkt.api.v1alpha.PublicAPIGrpc;
import io.jrkt.appc.AppcException;
import io.jrkt.appc.ImageId;
import io.jrkt.appc.RuntimeApp;
import io.jrkt.pod.PodException;
import io.jrkt.pod.PodNotFoundException;
import io.jrkt.pod.PodStore;
import io.jrkt.pod.PodUuid;
import io.jrkt.store.StoreException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The v1alpha PublicAPI. Every failure is reported with a specific status (INVALID_ARGUMENT,
 * NOT_FOUND, FAILED_PRECONDITION, UNIMPLEMENTED, RESOURCE_EXHAUSTED, INTERNAL), never UNKNOWN.
 */
final class PublicApi extends PublicAPIGrpc.PublicAPIImplBase {
  static final String API_VERSION = "1.0.0-alpha";
  /** Lines per GetLogs response; keeps a response well below clients' default 4 MiB limit. */
  static final int LOG_LINES_PER_RESPONSE = 1000;

  private final ApiConfig config;
  private final PodStore podStore;
  private final PodCatalog pods;
  private final ImageCatalog images;
  private final EventHub events;
  private final PodLogSource logs;
  private final ExecutorService followers;
  private final ScheduledExecutorService timers;
  private final ZoneId zone;

  PublicApi(ApiConfig config, PodStore podStore, PodCatalog pods, ImageCatalog images,
      EventHub events, PodLogSource logs, ExecutorService followers,
      ScheduledExecutorService timers, ZoneId zone) {
    this.config = config;
    this.podStore = podStore;
    this.pods = pods;
    this.images = images;
    this.events = events;
    this.logs = logs;
    this.followers = followers;
    this.timers = timers;
    this.zone = zone;
  }

  @Override
  public void getInfo(GetInfoRequest request, StreamObserver<GetInfoResponse> out) {
    GlobalFlags flags = GlobalFlags.newBuilder().setDir(config.dataDir().toString())
        .setSystemConfigDir(config.systemConfigDir()).setLocalConfigDir(config.localConfigDir())
        .setUserConfigDir(config.userConfigDir()).setInsecureFlags(config.insecureFlags())
        .setTrustKeysFromHttps(config.trustKeysFromHttps()).build();
    out.onNext(GetInfoResponse.newBuilder().setInfo(Info.newBuilder()
        .setRktVersion(config.rktVersion()).setAppcVersion(PodViews.APPC_VERSION)
        .setApiVersion(API_VERSION).setGlobalFlags(flags)).build());
    out.onCompleted();
  }

  @Override
  public void listPods(ListPodsRequest request, StreamObserver<ListPodsResponse> out) {
    unary(out, () -> {
      for (PodFilter f : request.getFiltersList()) {
        for (int v : f.getStatesValueList()) {
          if (PodState.forNumber(v) == null) {
            throw invalid("unknown pod state " + v + " in filter");
          }
        }
      }
      return ListPodsResponse.newBuilder()
          .addAllPods(pods.list(request.getDetail(), request.getFiltersList())).build();
    });
  }

  @Override
  public void inspectPod(InspectPodRequest request, StreamObserver<InspectPodResponse> out) {
    unary(out, () -> {
      PodUuid uuid = podId(request.getId());
      Pod p = pods.get(uuid).orElseThrow(() -> notFound("no pod with id " + uuid));
      return InspectPodResponse.newBuilder().setPod(p).build();
    });
  }

  @Override
  public void listImages(ListImagesRequest request, StreamObserver<ListImagesResponse> out) {
    unary(out, () -> {
      for (ImageFilter f : request.getFiltersList()) {
        if (f.getImportedAfter() < 0 || f.getImportedBefore() < 0) {
          throw invalid("imported_after and imported_before must not be negative");
        }
      }
      ListImagesResponse.Builder b = ListImagesResponse.newBuilder();
      for (Image i : images.list()) {
        if (ImageFilters.matchesAny(i, request.getFiltersList())) {
          b.addImages(request.getDetail() ? i : i.toBuilder().clearManifest().build());
        }
      }
      return b.build();
    });
  }

  @Override
  public void inspectImage(InspectImageRequest request, StreamObserver<InspectImageResponse> out) {
    unary(out, () -> {
      ImageId id;
      try {
        id = ImageId.parse(request.getId());
      } catch (AppcException e) {
        throw invalid(e.getMessage());
      }
      Image i = images.get(id).orElseThrow(() -> notFound("no image with id " + id));
      return InspectImageResponse.newBuilder().setImage(i).build();
    });
  }

  @Override
  public void listenEvents(ListenEventsRequest request,
      StreamObserver<ListenEventsResponse> out) {
    ServerCallStreamObserver<ListenEventsResponse> call =
        (ServerCallStreamObserver<ListenEventsResponse>) out;
    EventFilter filter = request.getFilter();
    for (int v : filter.getTypesValueList()) {
      if (EventType.forNumber(v) == null) {
        out.onError(invalid("unknown event type " + v + " in filter"));
        return;
      }
    }
    if (filter.getSinceTime() < 0 || filter.getUntilTime() < 0) {
      out.onError(invalid("since_time and until_time must not be negative"));
      return;
    }
    if (filter.getUntilTime() > 0 && filter.getUntilTime() < filter.getSinceTime()) {
      out.onError(invalid("until_time is before since_time"));
      return;
    }
    Object lock = new Object();
    boolean[] done = {false};
    EventHub.Subscription sub = events.subscribe(filter, batch -> {
      synchronized (lock) {
        if (!done[0] && !call.isCancelled()) {
          out.onNext(ListenEventsResponse.newBuilder().addAllEvents(batch).build());
        }
      }
    });
    call.setOnCancelHandler(sub::close);
    if (filter.getUntilTime() > 0) {
      long delayMs = Math.max(0, (filter.getUntilTime() + 1) * 1000 - System.currentTimeMillis());
      timers.schedule(() -> {
        sub.close();
        synchronized (lock) {
          if (!done[0] && !call.isCancelled()) {
            done[0] = true;
            out.onCompleted();
          }
        }
      }, delayMs, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void getLogs(GetLogsRequest request, StreamObserver<GetLogsResponse> out) {
    ServerCallStreamObserver<GetLogsResponse> call = (ServerCallStreamObserver<GetLogsResponse>) out;
    PodLogSource.Query q;
    try {
      q = logQuery(request);
    } catch (StatusException e) {
      out.onError(e);
      return;
    } catch (RuntimeException e) {
      out.onError(internal(e));
      return;
    }
    if (!request.getFollow()) {
      List<String> lines = new ArrayList<>();
      try {
        logs.read(q, e -> {
          lines.add(GoTime.logLine(e.time(), zone, e.message()));
          return !call.isCancelled();
        });
      } catch (PodLogSource.LogsUnavailableException e) {
        out.onError(unavailable(e));
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        out.onError(Status.CANCELLED.withDescription("interrupted").asException());
        return;
      } catch (RuntimeException e) {
        out.onError(internal(e));
        return;
      }
      for (int i = 0; i < lines.size(); i += LOG_LINES_PER_RESPONSE) {
        out.onNext(GetLogsResponse.newBuilder()
            .addAllLines(lines.subList(i, Math.min(lines.size(), i + LOG_LINES_PER_RESPONSE)))
            .build());
      }
      if (lines.isEmpty()) {
        out.onNext(GetLogsResponse.getDefaultInstance());
      }
      out.onCompleted();
      return;
    }
    // The cancel handler must be set now; it interrupts the follower thread, whichever it is.
    Thread[] worker = new Thread[1];
    call.setOnCancelHandler(() -> {
      synchronized (worker) {
        if (worker[0] != null) {
          worker[0].interrupt();
        }
      }
    });
    try {
      followers.execute(() -> {
        synchronized (worker) {
          worker[0] = Thread.currentThread();
        }
        try {
          follow(q, call);
        } finally {
          synchronized (worker) {
            worker[0] = null;
            Thread.interrupted();
          }
        }
      });
    } catch (RejectedExecutionException e) {
      out.onError(Status.RESOURCE_EXHAUSTED
          .withDescription("too many followed logs; try again later").asException());
    }
  }

  private void follow(PodLogSource.Query q, ServerCallStreamObserver<GetLogsResponse> call) {
    if (call.isCancelled()) {
      return;
    }
    try {
      logs.read(q, e -> {
        if (call.isCancelled()) {
          return false;
        }
        call.onNext(GetLogsResponse.newBuilder()
            .addLines(GoTime.logLine(e.time(), zone, e.message())).build());
        return true;
      });
      if (!call.isCancelled()) {
        call.onCompleted();
      }
    } catch (PodLogSource.LogsUnavailableException e) {
      call.onError(unavailable(e));
    } catch (InterruptedException e) {
      // The client went away.
    } catch (RuntimeException e) {
      if (!call.isCancelled()) {
        call.onError(internal(e));
      }
    }
  }

  private PodLogSource.Query logQuery(GetLogsRequest r) throws StatusException {
    PodUuid uuid = podId(r.getPodId());
    if (r.getLines() < 0) {
      throw invalid("lines must not be negative");
    }
    if (r.getSinceTime() < 0 || r.getUntilTime() < 0) {
      throw invalid("since_time and until_time must not be negative");
    }
    if (r.getUntilTime() > 0 && r.getUntilTime() < r.getSinceTime()) {
      throw invalid("until_time is before since_time");
    }
    io.jrkt.pod.Pod pod;
    try {
      pod = podStore.get(uuid);
    } catch (PodNotFoundException e) {
      throw notFound("no pod with id " + uuid);
    } catch (PodException e) {
      throw Status.INTERNAL.withDescription(e.getMessage()).asException();
    }
    Optional<String> app = Optional.empty();
    if (!r.getAppName().isEmpty()) {
      boolean known = false;
      try {
        for (RuntimeApp a : pod.manifest().apps()) {
          known |= a.name().value().equals(r.getAppName());
        }
      } catch (PodException e) {
        throw Status.FAILED_PRECONDITION.withDescription("pod " + uuid + " has no readable"
            + " manifest (state: " + pod.state().label() + ")").asException();
      }
      if (!known) {
        throw notFound("pod " + uuid + " has no app \"" + r.getAppName() + "\"");
      }
      app = Optional.of(r.getAppName());
    }
    return new PodLogSource.Query(uuid, app,
        r.getLines() > 0 ? OptionalInt.of(r.getLines()) : OptionalInt.empty(), r.getFollow(),
        r.getSinceTime() > 0 ? Optional.of(Instant.ofEpochSecond(r.getSinceTime()))
            : Optional.empty(),
        r.getUntilTime() > 0 ? Optional.of(Instant.ofEpochSecond(r.getUntilTime()))
            : Optional.empty());
  }

  /** A full pod UUID; anything else (a prefix, a path) is refused before any file is touched. */
  private static PodUuid podId(String id) throws StatusException {
    if (id.isEmpty()) {
      throw invalid("missing pod id");
    }
    return PodViews.uuid(id).orElseThrow(() -> invalid("invalid pod id \"" + shorten(id)
        + "\": want a full UUID (8-4-4-4-12 hex digits)"));
  }

  private interface Call<T> {
    T run() throws StatusException, PodException, StoreException;
  }

  private static <T> void unary(StreamObserver<T> out, Call<T> call) {
    T result;
    try {
      result = call.run();
    } catch (StatusException e) {
      out.onError(e);
      return;
    } catch (PodException | StoreException e) {
      out.onError(Status.INTERNAL.withDescription(e.getMessage()).asException());
      return;
    } catch (RuntimeException e) {
      out.onError(internal(e));
      return;
    }
    out.onNext(result);
    out.onCompleted();
  }

  private static StatusException unavailable(PodLogSource.LogsUnavailableException e) {
    return (e.unsupported() ? Status.UNIMPLEMENTED : Status.FAILED_PRECONDITION)
        .withDescription(e.getMessage()).asException();
  }

  static StatusException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asException();
  }

  static StatusException notFound(String message) {
    return Status.NOT_FOUND.withDescription(message).asException();
  }

  private static StatusException internal(RuntimeException e) {
    return Status.INTERNAL.withDescription("internal error: " + e).asException();
  }

  private static String shorten(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}
