package com.onemember.connectors.pospal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local stand-in for Pospal's open API, speaking its documented protocol over a real socket: POST
 * only, {@code data-signature} checked against the app key and the exact body, {@code appId}
 * checked, members paged {@value #PAGE_SIZE} at a time with an opaque {@code postBackParameter}
 * that must come back unchanged, error answers as {@code {status: error, messages, errorCode}} with
 * HTTP 200, and as many "quota used up" answers as a test asks for.
 */
public final class PospalServer implements AutoCloseable {

  public static final int PAGE_SIZE = 100;
  public static final String APP_ID = "E4B5C2D9A1F04C7A";
  public static final String APP_KEY = "6129873310553318121";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpServer server;
  private final List<ObjectNode> members = new ArrayList<>();

  /** Marks member {@code uid} deleted, as Pospal does ({@code enable} -1). */
  public synchronized void delete(long uid) {
    enable(uid, -1);
  }

  /** Makes a deleted member {@code uid} usable again ({@code enable} 1). */
  public synchronized void restore(long uid) {
    enable(uid, 1);
  }

  private void enable(long uid, int value) {
    members.stream()
        .filter(m -> m.path("customerUid").asLong() == uid)
        .forEach(m -> m.put("enable", value));
  }

  public final AtomicInteger quotaAnswersLeft = new AtomicInteger();
  public final AtomicInteger requests = new AtomicInteger();
  public final List<String> refusals = java.util.Collections.synchronizedList(new ArrayList<>());

  public PospalServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/pospal-api2/openapi/v1/customerOpenApi/queryCustomerPages", this::pages);
    server.createContext("/pospal-api2/openapi/v1/customerOpenApi/queryByUid", this::byUid);
    server.createContext("/pospal-api2/openapi/v1/customerOpenApi/updateBaseInfo", this::update);
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/pospal-api2/openapi/v1";
  }

  /** Adds a member as Pospal stores it; answers it for the test to change. */
  public synchronized ObjectNode add(long uid, String number, String name, String phone) {
    ObjectNode m = JSON.createObjectNode();
    m.put("customerUid", uid);
    m.put("categoryName", "金卡");
    m.put("number", number);
    m.put("name", name);
    m.put("point", 120);
    m.put("discount", 100);
    m.put("balance", 0);
    m.put("phone", phone);
    m.put("birthday", "1990-05-03 00:00:00");
    m.put("qq", "");
    m.put("email", "");
    m.put("address", "");
    m.put("remarks", "");
    m.put("createdDate", "2024-03-08 10:21:37");
    m.put("password", "E10ADC3949BA59ABBE56E057F20F883E");
    m.put("onAccount", 0);
    m.put("enable", 1);
    members.add(m);
    return m;
  }

  private synchronized void pages(HttpExchange exchange) throws IOException {
    JsonNode request = accepted(exchange);
    if (request == null) {
      return;
    }
    int from = 0;
    JsonNode postBack = request.get("postBackParameter");
    if (postBack != null) {
      if (!"LAST_RESULT_MAX_ID".equals(postBack.path("parameterType").asString(""))) {
        answer(exchange, 200, error(1002, "postBackParameter 参数错误"));
        return;
      }
      from = Integer.parseInt(postBack.path("parameterValue").asString("0"));
    }
    List<ObjectNode> page = members.subList(from, Math.min(members.size(), from + PAGE_SIZE));
    ObjectNode answer = JSON.createObjectNode();
    answer.put("status", "success");
    answer.putArray("messages");
    ObjectNode data = answer.putObject("data");
    ObjectNode next = data.putObject("postBackParameter");
    next.put("parameterType", "LAST_RESULT_MAX_ID");
    next.put("parameterValue", Integer.toString(from + page.size()));
    data.put("pageSize", PAGE_SIZE);
    ArrayNode result = data.putArray("result");
    page.forEach(result::add);
    answer(exchange, 200, answer.toString());
  }

  /**
   * The request, if it is a POST signed with the app key, for the app id, and the quota is not used
   * up; otherwise answered as Pospal answers and {@code null}.
   */
  private JsonNode accepted(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    byte[] body = exchange.getRequestBody().readAllBytes();
    String json = new String(body, StandardCharsets.UTF_8);
    if (!"POST".equals(exchange.getRequestMethod())) {
      answer(exchange, 405, "{}");
      return null;
    }
    String expected = PospalClient.signature(APP_KEY, json);
    String given = exchange.getRequestHeaders().getFirst("data-signature");
    if (!expected.equals(given) || exchange.getRequestHeaders().getFirst("time-stamp") == null) {
      refusals.add("signature");
      answer(exchange, 200, error(1022, "数据签名错误"));
      return null;
    }
    JsonNode request = JSON.readTree(json);
    if (!APP_ID.equals(request.path("appId").asString(""))) {
      refusals.add("appId");
      answer(exchange, 200, error(1001, "appId不存在"));
      return null;
    }
    if (quotaAnswersLeft.getAndDecrement() > 0) {
      answer(exchange, 200, error(1032, "今日接口访问次数已达上限"));
      return null;
    }
    return request;
  }

  private ObjectNode member(JsonNode uid) {
    return members.stream()
        .filter(m -> m.path("customerUid").asLong() == uid.asLong(-1))
        .findFirst()
        .orElse(null);
  }

  /** {@code queryByUid}: one member by its customerUid. */
  private synchronized void byUid(HttpExchange exchange) throws IOException {
    JsonNode request = accepted(exchange);
    if (request == null) {
      return;
    }
    ObjectNode m = member(request.path("customerUid"));
    if (m == null) {
      answer(exchange, 200, error(5001, "会员不存在"));
      return;
    }
    ObjectNode answer = JSON.createObjectNode();
    answer.put("status", "success");
    answer.putArray("messages");
    answer.set("data", m.deepCopy());
    answer(exchange, 200, answer.toString());
  }

  /** {@code updateBaseInfo}: changes the fields {@code customerInfo} gives of one member. */
  private synchronized void update(HttpExchange exchange) throws IOException {
    JsonNode request = accepted(exchange);
    if (request == null) {
      return;
    }
    JsonNode info = request.path("customerInfo");
    ObjectNode m = member(info.path("customerUid"));
    if (m == null) {
      answer(exchange, 200, error(5001, "会员不存在"));
      return;
    }
    for (var field : info.properties()) {
      if (!field.getKey().equals("customerUid")) {
        m.set(field.getKey(), field.getValue());
      }
    }
    updates.incrementAndGet();
    ObjectNode answer = JSON.createObjectNode();
    answer.put("status", "success");
    answer.putArray("messages");
    answer(exchange, 200, answer.toString());
  }

  /** How many member updates Pospal took. */
  public final AtomicInteger updates = new AtomicInteger();

  /** A member as Pospal holds it now (a copy). */
  public synchronized ObjectNode get(long uid) {
    ObjectNode m = member(JSON.getNodeFactory().numberNode(uid));
    return m == null ? null : m.deepCopy();
  }

  private static String error(int code, String message) {
    ObjectNode e = JSON.createObjectNode();
    e.put("status", "error");
    e.putArray("messages").add(message);
    e.put("errorCode", code);
    return e.toString();
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
