package com.onemember.connectors.frame;

import java.util.Map;

/**
 * A kind whose system's own back end registers its members with the hub, at {@code POST
 * /api/v1/connectors/<connector-id>/members}, when a person registers or logs in (a WeChat
 * mini-program's back end after {@code wx.login}). The hub asks the kind to resolve the request
 * into a push (exchanging one-time codes with the system where the request carries codes), answers
 * the caller with what was resolved, and takes the push as it takes one that arrived at {@code
 * /hooks/<connector-id>}, in order with them.
 */
public interface RegistrationKind extends WebhookKind {

  /**
   * The push one registration makes, and what the caller is told.
   *
   * @param request the request's fields as text (nested values refused before)
   * @throws RegistrationRefused when the request cannot be taken, with the HTTP status and words
   * @throws SourceUnavailable when the system could not be asked
   */
  Registration register(ConnectorInstance instance, Map<String, String> request)
      throws RegistrationRefused, SourceUnavailable;

  /**
   * @param push the record's change, keyed as the system's pushes key it
   * @param answer what the caller is told (ids it may not have had: the openid behind a code);
   *     never a secret
   */
  record Registration(Push push, Map<String, String> answer) {}

  /** A registration the hub does not take: the HTTP status, and why in the caller's words. */
  final class RegistrationRefused extends Exception {

    private final int status;
    private final String code;
    private final java.time.Duration retryAfter;

    /**
     * @param code stable, kebab-case: what kind of refusal
     * @param retryAfter how long the caller should wait before it tries again; null for a refusal
     *     that waiting does not mend
     */
    public RegistrationRefused(
        int status, String code, String reason, java.time.Duration retryAfter) {
      super(reason);
      this.status = status;
      this.code = code;
      this.retryAfter = retryAfter;
    }

    public int status() {
      return status;
    }

    public String code() {
      return code;
    }

    public java.time.Duration retryAfter() {
      return retryAfter;
    }
  }
}
