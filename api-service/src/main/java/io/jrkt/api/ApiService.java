package io.jrkt.api;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelOutboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.ChannelPromise;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.jrkt.pod.PodStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running service: one gRPC server per listening socket, all sharing one PublicAPI
 * implementation, a bounded pool for calls, and the event watcher.
 */
final class ApiService implements AutoCloseable {
  /** Threads that run the pooled calls; more clients queue rather than add threads. */
  static final int CALL_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
  /** Followed logs each hold a thread while the client listens. */
  static final int MAX_FOLLOWERS = 64;
  private static final int EVENT_HISTORY = 4096;
  /** The methods run on the call pool; every other runs where netty read it. */
  static final Set<String> POOLED = Set.of("ListPods", "GetLogs", "ListenEvents");

  private final List<Server> servers = new ArrayList<>();
  private final ExecutorService calls;
  private final ExecutorService followers;
  private final ScheduledExecutorService timers;
  private final EventWatcher watcher;
  private final PublicApi api;
  private EventLoopGroup boss;
  private EventLoopGroup workers;

  ApiService(ApiConfig config, PodLogSource logs) throws IOException {
    this(config, logs, ZoneId.systemDefault());
  }

  /** @param zone the zone log line times are printed in (rkt used the local one) */
  ApiService(ApiConfig config, PodLogSource logs, ZoneId zone) throws IOException {
    PodStore podStore = new PodStore(config.dataDir());
    ImageCatalog images = new ImageCatalog(config.dataDir());
    EventHub hub = new EventHub(EVENT_HISTORY);
    this.calls = new ThreadPoolExecutor(CALL_THREADS, CALL_THREADS, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), threads("jrkt-api-call"));
    this.followers = new ThreadPoolExecutor(0, MAX_FOLLOWERS, 60, TimeUnit.SECONDS,
        new SynchronousQueue<>(), threads("jrkt-api-logs"));
    this.timers = Executors.newSingleThreadScheduledExecutor(threads("jrkt-api-timer"));
    this.watcher = new EventWatcher(config.dataDir(), podStore, images, hub);
    this.api = new PublicApi(config, podStore, new PodCatalog(podStore), images, hub, logs,
        followers, timers, zone);
  }

  /** Starts watching for events, then serves on {@code address}; returns the bound address. */
  InetSocketAddress listen(InetSocketAddress address) throws IOException {
    startWatcher();
    Server s = callExecutors(NettyServerBuilder.forAddress(address)).addService(api)
        .intercept(new VersionHeader()).build().start();
    servers.add(s);
    return (InetSocketAddress) s.getListenSockets().get(0);
  }

  /**
   * Serves on a listening socket passed by systemd. Netty adopts the fd as it is; the bind the
   * gRPC server asks for is answered without touching the socket, which is bound already.
   */
  SocketAddress adopt(int fd) throws IOException {
    if (!Epoll.isAvailable()) {
      throw new IOException("socket activation needs netty's epoll transport: "
          + Epoll.unavailabilityCause());
    }
    startWatcher();
    if (boss == null) {
      boss = new MultiThreadIoEventLoopGroup(1, threads("jrkt-api-accept"),
          EpollIoHandler.newFactory());
      workers = new MultiThreadIoEventLoopGroup(
          Math.max(2, Runtime.getRuntime().availableProcessors()), threads("jrkt-api-io"),
          EpollIoHandler.newFactory());
    }
    EpollServerSocketChannel[] made = new EpollServerSocketChannel[1];
    NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(0))
        .channelFactory(() -> {
          EpollServerSocketChannel ch = new EpollServerSocketChannel(fd);
          ch.pipeline().addFirst(new AlreadyBound());
          made[0] = ch;
          return ch;
        })
        .bossEventLoopGroup(boss).workerEventLoopGroup(workers);
    Server s = callExecutors(b).addService(api).intercept(new VersionHeader()).build().start();
    servers.add(s);
    return made[0].localAddress();
  }

  /**
   * Where calls run. Those answered from memory or a stat or two (GetInfo, InspectPod,
   * ListImages, InspectImage: the bulk of a kubelet's calls) run on the netty thread that read
   * them: handing each to a pool thread and its answer back costs two more thread wake-ups, each
   * of which can wait for a time slice on busy cores. Calls that may read many files or wait
   * (ListPods probes every pod that is not settled; GetLogs, ListenEvents) run on the pool, so
   * they never hold up other connections' reads.
   */
  private NettyServerBuilder callExecutors(NettyServerBuilder b) {
    return b.directExecutor().callExecutor(new ServerCallExecutorSupplier() {
      @Override
      public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata headers) {
        return POOLED.contains(call.getMethodDescriptor().getBareMethodName()) ? calls : null;
      }
    });
  }

  private boolean watching;

  private synchronized void startWatcher() {
    if (!watching) {
      watching = true;
      watcher.start();
    }
  }

  void awaitTermination() throws InterruptedException {
    for (Server s : servers) {
      s.awaitTermination();
    }
  }

  @Override
  public void close() {
    for (Server s : servers) {
      s.shutdown();
    }
    for (Server s : servers) {
      try {
        if (!s.awaitTermination(2, TimeUnit.SECONDS)) {
          s.shutdownNow();
        }
      } catch (InterruptedException e) {
        s.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    watcher.close();
    timers.shutdownNow();
    followers.shutdownNow();
    calls.shutdownNow();
    if (boss != null) {
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  /** Completes a bind without binding: the adopted socket is bound and listening already. */
  private static final class AlreadyBound extends ChannelOutboundHandlerAdapter {
    @Override
    public void bind(ChannelHandlerContext ctx, SocketAddress localAddress,
        ChannelPromise promise) {
      promise.setSuccess();
    }
  }

  private static java.util.concurrent.ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
