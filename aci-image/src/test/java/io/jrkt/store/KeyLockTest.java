package io.jrkt.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SuppressWarnings("try")
class KeyLockTest {
  @TempDir Path tmp;

  @Test
  void excludesOtherThreadsUntilReleased() throws Exception {
    Path f = tmp.resolve("k");
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(4);
    for (int t = 0; t < 4; t++) {
      new Thread(() -> {
        try {
          for (int i = 0; i < 50; i++) {
            try (KeyLock l = KeyLock.acquire(f)) {
              maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
              Thread.onSpinWait();
              inside.decrementAndGet();
            }
          }
        } catch (Exception e) {
          throw new RuntimeException(e);
        } finally {
          done.countDown();
        }
      }).start();
    }
    assertTrue(done.await(1, TimeUnit.MINUTES));
    assertEquals(1, maxInside.get());
  }

  @Test
  void tryAcquireFailsWhileHeldAndSucceedsAfter() throws Exception {
    Path f = tmp.resolve("k");
    try (KeyLock held = KeyLock.acquire(f)) {
      Thread other = new Thread(() -> {
        try {
          assertNull(KeyLock.tryAcquire(f));
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      other.start();
      other.join();
      assertNull(KeyLock.tryAcquire(f), "not re-entrant in the same thread either");
      assertThrows(IllegalStateException.class, () -> KeyLock.acquire(f));
    }
    try (KeyLock again = KeyLock.tryAcquire(f)) {
      assertNotNull(again);
    }
  }
}
