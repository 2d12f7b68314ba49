package io.tributary.schemas.serde;

import java.net.URI;

/**
 * A schema registry call failed: the registry was unreachable or did not answer in time, or it
 * answered with an error. The message names the registry URL, the request, the subject, the HTTP
 * status and the registry's {@code error_code} and message, and what to check.
 */
public final class SchemaRegistryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final URI registryUrl;
  private final String subject;
  private final int httpStatus;
  private final int errorCode;

  SchemaRegistryException(
      String message, URI registryUrl, String subject, int httpStatus, int errorCode, Throwable cause) {
    super(message, cause);
    this.registryUrl = registryUrl;
    this.subject = subject;
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  /** The registry that failed. */
  public URI registryUrl() {
    return registryUrl;
  }

  /** The subject of the call, or {@code null} for calls without one (e.g. fetch by id). */
  public String subject() {
    return subject;
  }

  /** The HTTP status of the registry's answer, or 0 when there was none (unreachable, timeout). */
  public int httpStatus() {
    return httpStatus;
  }

  /** The registry's {@code error_code} (e.g. 40401 subject not found, 409 incompatible), or 0. */
  public int errorCode() {
    return errorCode;
  }

  /** Whether the registry could not be reached or did not answer in time. */
  public boolean isUnreachable() {
    return httpStatus == 0;
  }
}
