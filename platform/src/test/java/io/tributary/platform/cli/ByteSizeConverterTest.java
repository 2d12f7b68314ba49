package io.tributary.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.schemas.config.ByteSizes;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ByteSizeConverterTest {

  private final ByteSizeConverter converter = new ByteSizeConverter();

  @Test
  void shouldReadBinaryAndDecimalSizes() {
    assertThat(converter.convert("1048576")).isEqualTo(1_048_576L);
    assertThat(converter.convert("16MiB")).isEqualTo(16L << 20);
    assertThat(converter.convert("16MB")).isEqualTo(16_000_000L);
    assertThat(converter.convert("8kib")).isEqualTo(8_192L);
  }

  @Test
  void shouldSayWhatASizeLooksLike() {
    assertThatThrownBy(() -> converter.convert("lots")).isInstanceOf(TypeConversionException.class)
        .hasMessage("'lots' is not a size (expected: " + ByteSizes.EXPECTED + ")");
  }
}
