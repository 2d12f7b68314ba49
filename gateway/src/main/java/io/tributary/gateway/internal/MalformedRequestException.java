package io.tributary.gateway.internal;

/**
 * The request cannot be decoded (bad protobuf, JSON or gzip). Answered with 400 / INVALID_ARGUMENT
 * and the message as the reason; nothing of the request is written. Carries no stack trace: it is a
 * verdict on client input, not a bug.
 */
final class MalformedRequestException extends Exception {

  private static final long serialVersionUID = 1L;

  MalformedRequestException(String message) {
    super(message, null, false, false);
  }
}
