package io.tributary.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ByteSizesTest {

  @Test
  void shouldReadBinaryAndDecimalUnitsInAnyCase() {
    assertThat(ByteSizes.parse("1048576")).isEqualTo(1_048_576L);
    assertThat(ByteSizes.parse("64B")).isEqualTo(64L);
    assertThat(ByteSizes.parse("8KiB")).isEqualTo(8_192L);
    assertThat(ByteSizes.parse("16MiB")).isEqualTo(16L << 20);
    assertThat(ByteSizes.parse("1 GiB")).isEqualTo(1L << 30);
    assertThat(ByteSizes.parse(" 8mib ")).isEqualTo(8L << 20);
    assertThat(ByteSizes.parse("500KB")).isEqualTo(500_000L);
    assertThat(ByteSizes.parse("16MB")).isEqualTo(16_000_000L);
    assertThat(ByteSizes.parse("1gb")).isEqualTo(1_000_000_000L);
  }

  @Test
  void shouldSayWhatASizeLooksLike() {
    for (String bad : new String[] {"8 megabytes", "-1", "1.5MiB", "", "MiB", "1TiB"}) {
      assertThatThrownBy(() -> ByteSizes.parse(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("'" + bad + "' is not a size (expected: " + ByteSizes.EXPECTED + ")");
    }
    assertThatThrownBy(() -> ByteSizes.parse("9999999999GiB")).hasMessageStartingWith("'9999999999GiB' is too large");
    assertThatThrownBy(() -> ByteSizes.parse("99999999999999999999")).hasMessageContaining("too large");
  }

  @Test
  void shouldFormatInTheLargestBinaryUnit() {
    assertThat(ByteSizes.format(16L << 20)).isEqualTo("16MiB");
    assertThat(ByteSizes.format(1536)).isEqualTo("1536");
    assertThat(ByteSizes.format(3072)).isEqualTo("3KiB");
    assertThat(ByteSizes.format(1_000_000)).isEqualTo("1000000");
    assertThat(ByteSizes.format(0)).isEqualTo("0");
  }

  @Property
  void shouldReadBackWhatItFormats(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long bytes) {
    assertThat(ByteSizes.parse(ByteSizes.format(bytes))).isEqualTo(bytes);
  }
}
