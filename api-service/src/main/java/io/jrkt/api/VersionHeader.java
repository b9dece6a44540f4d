package io.jrkt.api;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Adds {@code jrkt-version} to every response's headers: GetInfo's rkt_version carries the rkt
 * compatibility level the kubelet checks, so jrkt's own version travels here.
 */
final class VersionHeader implements ServerInterceptor {
  static final Metadata.Key<String> KEY =
      Metadata.Key.of("jrkt-version", Metadata.ASCII_STRING_MARSHALLER);
  static final String JRKT_VERSION = io.jrkt.cli.Main.JRKT_VERSION;

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    return next.startCall(new SimpleForwardingServerCall<>(call) {
      @Override
      public void sendHeaders(Metadata responseHeaders) {
        responseHeaders.put(KEY, JRKT_VERSION);
        super.sendHeaders(responseHeaders);
      }
    }, headers);
  }
}
