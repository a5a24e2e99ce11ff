package com.onemember.hub.connectors;

import com.onemember.api.model.MemberRegistered;
import com.onemember.api.model.MemberRegistration;
import com.onemember.connectors.frame.ConnectorInstance;
import com.onemember.connectors.frame.FailureKind;
import com.onemember.connectors.frame.RegistrationKind;
import com.onemember.connectors.frame.SourceUnavailable;
import com.onemember.hub.api.ApiProblem;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * {@code POST /api/v1/connectors/<id>/members}: a system's back end registering one of its people
 * (a WeChat mini-program's, on login). The connector's kind resolves the request, asking the system
 * what its codes stand for, while the caller waits; the push it makes is queued on {@code
 * onemember.hooks} in the connector's message group, so that it is taken in order with the pushes
 * the system sends to {@code /hooks/<id>}, and by the same route.
 */
@Component
class MemberRegistrations {

  private static final Logger log = LoggerFactory.getLogger(MemberRegistrations.class);

  private final ConnectorRegistry registry;
  private final ConnectorStore store;
  private final HookQueue queue;

  MemberRegistrations(ConnectorRegistry registry, ConnectorStore store, HookQueue queue) {
    this.registry = registry;
    this.store = store;
    this.queue = queue;
  }

  MemberRegistered register(String id, MemberRegistration request) {
    ConnectorInstance instance =
        registry.find(id).orElseThrow(() -> ApiProblem.notFound("连接器 / connector", id));
    if (!instance.enabled() || !(registry.kind(instance) instanceof RegistrationKind kind)) {
      throw new ApiProblem(
          HttpStatus.NOT_FOUND,
          "no-registrations",
          "连接器 "
              + id
              + " 未启用或不接收会员登记 / connector "
              + id
              + " is disabled, or its kind ("
              + instance.kind()
              + ") takes no member registrations");
    }
    if (store.state(id).map(ConnectorStore.State::paused).orElse(false)) {
      throw new ApiProblem(
              HttpStatus.SERVICE_UNAVAILABLE,
              "paused",
              "连接器 " + id + " 已暂停，请稍后重试 / connector " + id + " is paused: try again later")
          .retryAfter(Duration.ofMinutes(1));
    }
    RegistrationKind.Registration registration;
    try {
      registration = kind.register(instance, fields(request));
    } catch (RegistrationKind.RegistrationRefused e) {
      throw new ApiProblem(HttpStatus.valueOf(e.status()), e.code(), e.getMessage())
          .retryAfter(e.retryAfter());
    } catch (SourceUnavailable e) {
      if (e.kind() == FailureKind.CONFIGURATION) {
        log.warn("Registration at {} refused by its system: {}", id, e.getMessage());
        throw new ApiProblem(HttpStatus.BAD_GATEWAY, "connector-configuration", e.getMessage());
      }
      throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "system-unavailable", e.getMessage())
          .retryAfter(Duration.ofSeconds(5));
    }
    try {
      queue.send(id, registration.push());
    } catch (RuntimeException e) {
      throw new ApiProblem(
              HttpStatus.SERVICE_UNAVAILABLE,
              "queue-unavailable",
              "暂时无法登记，请稍后重试 / the hub cannot take the registration now: try again later")
          .retryAfter(Duration.ofSeconds(10));
    }
    Map<String, String> answer = registration.answer();
    return new MemberRegistered()
        .openid(answer.get("openid"))
        .unionid(answer.get("unionid"))
        .phone(answer.get("phone"));
  }

  /** The request's fields that were sent, as the kind takes them. */
  private static Map<String, String> fields(MemberRegistration request) {
    Map<String, String> fields = new LinkedHashMap<>();
    put(fields, "code", request.getCode());
    put(fields, "phoneCode", request.getPhoneCode());
    put(fields, "openid", request.getOpenid());
    put(fields, "unionid", request.getUnionid());
    put(fields, "phone", request.getPhone());
    put(fields, "nickname", request.getNickname());
    return fields;
  }

  private static void put(Map<String, String> fields, String name, String value) {
    if (value != null) {
      fields.put(name, value);
    }
  }
}
