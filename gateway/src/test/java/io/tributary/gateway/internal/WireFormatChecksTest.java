package io.tributary.gateway.internal;

import static io.tributary.testsupport.Compression.gzip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The small checks the splitter and the endpoints rely on: UTF-8, gzip limits, in-flight bytes. */
class WireFormatChecksTest {

  @Test
  void shouldJudgeUtf8ExactlyAsTheJdkDecoderDoes() {
    Random random = new Random(42);
    byte[] alphabet = {0x41, 0x7f, (byte) 0x80, (byte) 0xbf, (byte) 0xc0, (byte) 0xc2, (byte) 0xdf, (byte) 0xe0,
        (byte) 0xa0, (byte) 0xed, (byte) 0x9f, (byte) 0xef, (byte) 0xf0, (byte) 0x90, (byte) 0xf4, (byte) 0x8f,
        (byte) 0xf5, (byte) 0xff};
    for (int round = 0; round < 200_000; round++) {
      byte[] bytes = new byte[1 + random.nextInt(12)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
      }
      assertThat(Utf8Check.isValid(bytes, 0, bytes.length)).as("bytes %s", java.util.HexFormat.of().formatHex(bytes))
          .isEqualTo(jdkAccepts(bytes));
    }
    byte[] ascii = "plain ascii, longer than eight bytes".getBytes(StandardCharsets.US_ASCII);
    assertThat(Utf8Check.isValid(ascii, 0, ascii.length)).isTrue();
    byte[] text = "välue ✓ 𝄞".getBytes(StandardCharsets.UTF_8);
    assertThat(Utf8Check.isValid(text, 0, text.length)).isTrue();
  }

  private static boolean jdkAccepts(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  @Test
  void shouldInflateGzipUpToTheLimitOnly() throws Exception {
    byte[] data = new byte[100_000];
    new Random(1).nextBytes(data);
    byte[] compressed = gzip(data);

    Body body = BoundedGunzip.gunzip(compressed, 100_000);
    assertThat(java.util.Arrays.copyOfRange(body.array(), body.offset(), body.length())).isEqualTo(data);
    assertThatThrownBy(() -> BoundedGunzip.gunzip(compressed, 99_999)).isInstanceOf(BoundedGunzip.TooLargeException.class);
    assertThatThrownBy(() -> BoundedGunzip.gunzip(new byte[] {1, 2, 3}, 1000)).isInstanceOf(MalformedRequestException.class);
    assertThatThrownBy(() -> BoundedGunzip.gunzip(java.util.Arrays.copyOf(compressed, 100), 1_000_000))
        .isInstanceOf(MalformedRequestException.class);
  }

  /** A gzip bomb costs at most about twice the limit in memory, however far it would inflate. */
  @Test
  void shouldRefuseAGzipBombWithinBoundedMemory() throws Exception {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 256; i++) {
        gz.write(zeros); // 256 MiB of zeros: about 256 KiB compressed
      }
    }
    byte[] bomb = compressed.toByteArray();
    int limit = 4 * 1024 * 1024;
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
        .getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();

    assertThatThrownBy(() -> BoundedGunzip.gunzip(bomb, limit)).isInstanceOf(BoundedGunzip.TooLargeException.class)
        .hasMessage("decompressed request body exceeds " + limit + " bytes");

    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(allocated).as("bytes allocated inflating a 256 MiB bomb with a 4 MiB limit").isLessThan(3L * limit);
  }

  @Test
  void shouldCapInFlightBytesButAlwaysAdmitALoneRequest() {
    InFlightBytes inFlight = new InFlightBytes(100);

    assertThat(inFlight.tryAcquire(500, 0)).as("alone, even above the cap").isTrue();
    assertThat(inFlight.tryAcquire(1, 0)).as("another one while 500 are held").isFalse();
    assertThat(inFlight.tryAcquire(50, 500)).as("the holder may add to what it holds").isTrue();
    inFlight.release(550);
    assertThat(inFlight.used()).isZero();
    assertThat(inFlight.tryAcquire(60, 0)).isTrue();
    assertThat(inFlight.tryAcquire(40, 0)).isTrue();
    assertThat(inFlight.tryAcquire(1, 0)).isFalse();
  }
}
