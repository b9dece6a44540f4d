package io.jrkt.tests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of a test registry that injects faults into HTTP/1.1
 * exchanges: it can slow responses down, cut blob responses after a number of bytes, or answer
 * blob requests with 500. Requests are read head by head (the client sends GETs only), so it
 * knows which response belongs to which request.
 */
final class FaultProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int backendPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  volatile long bytesPerSecond;
  /** Cut a blob response after this many bytes, this many times. */
  volatile long cutBlobAfter = -1;
  final AtomicInteger cutsLeft = new AtomicInteger();
  volatile boolean blob500;
  final AtomicInteger blobRequests = new AtomicInteger();

  FaultProxy(int backendPort) throws IOException {
    this.backendPort = backendPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::accept, "fault-proxy");
    t.setDaemon(true);
    t.start();
  }

  String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        sockets.add(client);
        Thread t = new Thread(() -> serve(client), "fault-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private final class Exchange {
    volatile boolean blob;
    volatile long sent;
  }

  private void serve(Socket client) {
    Socket backend = null;
    try {
      backend = new Socket(InetAddress.getLoopbackAddress(), backendPort);
      sockets.add(backend);
      Exchange ex = new Exchange();
      Socket b = backend;
      Thread down = new Thread(() -> pumpDown(b, client, ex), "fault-proxy-down");
      down.setDaemon(true);
      down.start();
      InputStream in = client.getInputStream();
      OutputStream up = backend.getOutputStream();
      while (true) {
        byte[] head = readHead(in);
        if (head == null) {
          break;
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        boolean isBlob = text.startsWith("GET ") && text.contains("/blobs/");
        if (isBlob) {
          blobRequests.incrementAndGet();
        }
        if (isBlob && blob500) {
          client.getOutputStream().write(("HTTP/1.1 500 Internal Server Error\r\n"
              + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
              .getBytes(StandardCharsets.ISO_8859_1));
          client.getOutputStream().flush();
          continue;
        }
        ex.blob = isBlob;
        ex.sent = 0;
        up.write(head);
        up.flush();
      }
    } catch (IOException e) {
      // A side closed: close both.
    } finally {
      closeQuietly(client);
      closeQuietly(backend);
    }
  }

  private void pumpDown(Socket backend, Socket client, Exchange ex) {
    byte[] buf = new byte[16 * 1024];
    long started = System.nanoTime();
    long total = 0;
    try {
      InputStream in = backend.getInputStream();
      OutputStream out = client.getOutputStream();
      int n;
      while ((n = in.read(buf)) > 0) {
        long cut = cutBlobAfter;
        if (ex.blob && cut >= 0 && ex.sent + n > cut && cutsLeft.get() > 0) {
          cutsLeft.decrementAndGet();
          out.write(buf, 0, (int) Math.max(0, cut - ex.sent));
          out.flush();
          break;
        }
        out.write(buf, 0, n);
        out.flush();
        ex.sent += n;
        total += n;
        long rate = bytesPerSecond;
        if (rate > 0) {
          long due = started + total * 1_000_000_000L / rate;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
      }
    } catch (IOException | InterruptedException e) {
      // Closed.
    } finally {
      closeQuietly(client);
      closeQuietly(backend);
    }
  }

  /** A request head up to and including the blank line; null at the end of the stream. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    int c;
    while ((c = in.read()) >= 0) {
      head.write(c);
      state = (c == '\r' && (state == 0 || state == 2)) ? state + 1
          : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
      if (state == 4) {
        return head.toByteArray();
      }
    }
    return null;
  }

  private static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // Closing anyway.
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      closeQuietly(s);
    }
  }
}
