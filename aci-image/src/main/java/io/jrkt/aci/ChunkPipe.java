package io.jrkt.aci;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;

/**
 * A bounded hand-over of byte chunks from one producer thread to one consumer thread. A fixed
 * set of buffers circulates, so memory stays bounded and nothing is allocated per chunk. When the
 * consumer stops early, further chunks are dropped instead of blocking the producer.
 */
final class ChunkPipe {
  private record Chunk(byte[] buf, int len) {}

  private final ArrayDeque<byte[]> free = new ArrayDeque<>();
  private final ArrayDeque<Chunk> full = new ArrayDeque<>();
  private boolean producerDone;
  private IOException producerFailure;
  private boolean consumerClosed;

  ChunkPipe(int chunkSize, int chunks) {
    for (int i = 0; i < chunks; i++) {
      free.push(new byte[chunkSize]);
    }
  }

  /** Producer: a buffer to fill; blocks while all are with the consumer. */
  synchronized byte[] takeFree() throws InterruptedIOException {
    while (free.isEmpty()) {
      waitInterruptibly();
    }
    return free.pop();
  }

  /** Producer: hands {@code len} bytes of {@code buf} over. */
  synchronized void send(byte[] buf, int len) {
    if (consumerClosed) {
      free.push(buf);
    } else {
      full.add(new Chunk(buf, len));
    }
    notifyAll();
  }

  /** Producer: gives back a buffer it did not fill. */
  synchronized void recycle(byte[] buf) {
    free.push(buf);
    notifyAll();
  }

  /** Producer: no more data; {@code failure} is null at a clean end. */
  synchronized void finish(IOException failure) {
    producerDone = true;
    producerFailure = failure;
    notifyAll();
  }

  private synchronized Chunk takeFull() throws IOException {
    while (full.isEmpty() && !producerDone) {
      waitInterruptibly();
    }
    Chunk c = full.poll();
    if (c == null && producerFailure != null) {
      throw new UpstreamFailedException(producerFailure);
    }
    return c;
  }

  private synchronized void closeConsumer() {
    consumerClosed = true;
    for (Chunk c; (c = full.poll()) != null; ) {
      free.push(c.buf);
    }
    notifyAll();
  }

  private void waitInterruptibly() throws InterruptedIOException {
    try {
      wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while passing archive data");
    }
  }

  /** Consumer: the data as a stream; closing it tells the producer to stop handing data over. */
  InputStream input() {
    return new InputStream() {
      private Chunk current;
      private int pos;
      private boolean eof;

      private boolean fill() throws IOException {
        if (current != null && pos < current.len) {
          return true;
        }
        if (eof) {
          return false;
        }
        if (current != null) {
          recycle(current.buf);
          current = null;
        }
        current = takeFull();
        pos = 0;
        if (current == null) {
          eof = true;
          return false;
        }
        return true;
      }

      @Override
      public int read() throws IOException {
        return fill() ? current.buf[pos++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        if (!fill()) {
          return -1;
        }
        int n = Math.min(len, current.len - pos);
        System.arraycopy(current.buf, pos, b, off, n);
        pos += n;
        return n;
      }

      @Override
      public long skip(long n) throws IOException {
        long skipped = 0;
        while (skipped < n && fill()) {
          int step = (int) Math.min(n - skipped, current.len - pos);
          pos += step;
          skipped += step;
        }
        return skipped;
      }

      @Override
      public int available() {
        return current == null ? 0 : current.len - pos;
      }

      @Override
      public void close() {
        if (current != null) {
          recycle(current.buf);
          current = null;
        }
        eof = true;
        closeConsumer();
      }
    };
  }
}
