package io.tributary.testsupport;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on 127.0.0.1 that holds every byte a real server sends back for a set delay before
 * passing it on: the server stays real (its answers, errors and ids unchanged), only latency is added,
 * as a slow or overloaded store would. Requests pass at once; answers arrive {@link #delay} later, in
 * order. Changing the delay applies to bytes the server sends from then on.
 *
 * <pre>{@code
 * try (DelayingProxy proxy = DelayingProxy.start(elasticsearch.httpUrl())) {
 *   proxy.delay(Duration.ofSeconds(5)); // point the sink at proxy.url()
 * }
 * }</pre>
 */
public final class DelayingProxy implements AutoCloseable {

  private static final byte[] END = new byte[0];

  private final InetSocketAddress target;
  private final ServerSocket server;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile long delayNanos;
  private volatile boolean closed;

  private DelayingProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().name("delaying-proxy-accept").start(this::accept);
  }

  /** A proxy in front of {@code target} (its host and port), with no delay yet. */
  public static DelayingProxy start(URI target) {
    requireNonNull(target, "target");
    try {
      return new DelayingProxy(new InetSocketAddress(target.getHost(), target.getPort()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the proxy's port on 127.0.0.1", e);
    }
  }

  /** {@code http://127.0.0.1:<port>}: where clients connect instead of the target. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** Holds the server's bytes this long from now on (zero: passes them at once). */
  public void delay(Duration delay) {
    requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay: " + delay + " (expected: >= 0)");
    }
    this.delayNanos = delay.toNanos();
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    sockets.forEach(DelayingProxy::closeQuietly);
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      try {
        Socket upstream = new Socket(target.getAddress(), target.getPort());
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(upstream);
        Thread.ofPlatform().daemon().name("delaying-proxy-request").start(() -> pump(client, upstream));
        LinkedBlockingQueue<Chunk> answers = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().name("delaying-proxy-answer-in").start(() -> readAnswers(upstream, answers));
        Thread.ofPlatform().daemon().name("delaying-proxy-answer-out").start(() -> writeAnswers(answers, client));
      } catch (IOException e) {
        // A target that refuses is the store being down: the client sees its connection closed, as it would.
        closeQuietly(client);
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) != -1; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // either side closed: the other is closed below
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void readAnswers(Socket upstream, LinkedBlockingQueue<Chunk> answers) {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = upstream.getInputStream()) {
      for (int n; (n = in.read(buffer)) != -1; ) {
        answers.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
      }
    } catch (IOException e) {
      // closed
    } finally {
      answers.add(new Chunk(System.nanoTime() + delayNanos, END));
    }
  }

  private void writeAnswers(LinkedBlockingQueue<Chunk> answers, Socket client) {
    try (OutputStream out = client.getOutputStream()) {
      while (true) {
        Chunk chunk = answers.take();
        // The delay line itself: each chunk leaves when it is due, never earlier.
        for (long wait; (wait = chunk.dueNanos - System.nanoTime()) > 0; ) {
          LockSupport.parkNanos(wait);
        }
        if (chunk.bytes == END) {
          return;
        }
        out.write(chunk.bytes);
        out.flush();
      }
    } catch (IOException e) {
      // the client went away
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(client);
    }
  }

  private record Chunk(long dueNanos, byte[] bytes) {}

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
