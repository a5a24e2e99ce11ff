package com.onemember.hub.api;

import org.springframework.http.HttpStatus;

/**
 * A request the hub refuses, with what to tell the caller.
 *
 * @see ApiErrors
 */
public class ApiProblem extends RuntimeException {

  private final HttpStatus status;
  private final String code;

  /**
   * @param code stable, machine-readable, kebab-case
   * @param message for people: Chinese and English separated by " / "
   */
  public ApiProblem(HttpStatus status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  private java.time.Duration retryAfter;

  /** Tells the caller, in a Retry-After header, how long to wait before it tries again. */
  public ApiProblem retryAfter(java.time.Duration wait) {
    this.retryAfter = wait;
    return this;
  }

  /** How long the caller should wait before trying again; null when waiting mends nothing. */
  public java.time.Duration retryAfter() {
    return retryAfter;
  }

  public HttpStatus status() {
    return status;
  }

  public String code() {
    return code;
  }

  /**
   * A steward's or operator's action the MDM refused: 404 when something named does not exist, else
   * 409 with {@code conflictCode} (what kind of refusal the operation reports).
   */
  public static ApiProblem refused(
      com.onemember.mdm.stewardship.StewardshipRefused e, String conflictCode) {
    return new ApiProblem(
        e.notFound() ? HttpStatus.NOT_FOUND : HttpStatus.CONFLICT,
        e.notFound() ? "not-found" : conflictCode,
        e.getMessage());
  }

  public static ApiProblem notFound(String what, Object id) {
    return new ApiProblem(
        HttpStatus.NOT_FOUND,
        "not-found",
        "找不到" + what + " " + id + " / No " + what + " " + id + ".");
  }
}
