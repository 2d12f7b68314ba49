package io.tributary.platform.cli;

import io.tributary.schemas.config.ByteSizes;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads byte sizes as every Tributary config does ({@link ByteSizes#parse}): {@code 1048576},
 * {@code 512KiB}, {@code 16MiB}, {@code 1GiB}, or {@code KB}, {@code MB}, {@code GB} as powers of 1000.
 */
public final class ByteSizeConverter implements ITypeConverter<Long> {

  @Override
  public Long convert(String value) {
    try {
      return ByteSizes.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
