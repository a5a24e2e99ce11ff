package com.onemember.connectors.youzan;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local stand-in for the Youzan Cloud (有赞云) Open Platform gateway as one shop of one self-use app
 * (自用型应用) sees it, over a real socket, so that the Youzan connector is tested against the wire
 * protocol and not against mocks of our own client.
 *
 * <p>What it does as Youzan does, because the connector has to cope with it:
 *
 * <ul>
 *   <li>{@code POST /auth/token} with a JSON body ({@code authorize_type: silent}, the shop's
 *       kdt_id as {@code grant_id}). Errors are HTTP 200 with {@code
 *       {"success":false,"code":N,...}}; a form-encoded body gets Spring's "Content type ... not
 *       supported" as code 1000, as the live gateway answered a probe. {@code expires} is an
 *       absolute time in epoch milliseconds. While the token is valid the same token comes back
 *       unless {@code refresh: true}; a new token makes the old one unknown.
 *   <li>{@code POST /api/{api}/{version}?access_token=...}: the token counts only in the query (a
 *       header or a body field gets 4201, as live probes showed). Everything is HTTP 200: gateway
 *       errors as {@code {"gw_err_resp":{...,"err_code":N}}} without a top-level {@code code},
 *       business errors as {@code {"code":N,"success":false,...}}, so a client has to tell the two
 *       envelopes apart. An unknown API is refused before the token is looked at (4005), as on the
 *       live gateway.
 *   <li>{@code youzan.scrm.customer.list} sorted by created time, newest first, with the 10,000
 *       results cap ({@value #LIST_CAP_CODE} once {@code page_no * page_size} passes it), so a full
 *       read has to slice by {@code created_at} windows. The window bounds are epoch MILLISECONDS,
 *       both inclusive; the records show times in SECONDS. (The unit of the bounds is not settled
 *       by Youzan's docs; milliseconds are what the generated official types say.)
 *   <li>Tag writes by name with Youzan's limits, tag reads with ids; unknown tags are created by an
 *       add, as Youzan does.
 *   <li>Push messages (消息推送) as the shop sends them: {@code Event-Sign} = md5(client_id + raw body
 *       + client_secret), the legacy body {@code sign} over the still URL-encoded {@code msg}, and
 *       a delivery that counts only when the answer is HTTP 200 with "success" in its body. {@code
 *       version} only grows, so a receiver that keeps the higher version keeps the newest.
 *   <li>Proxy-level failures (HTML 502/503) and gateway errors such as 4101 on demand.
 * </ul>
 *
 * <p>Choices where Youzan's behaviour is not documented, made so that a careless client fails here:
 * a customer without a mobile shows {@code "mobile":""} and {@code is_mobile_enable: false}; ties
 * in created time are ordered by {@code yz_open_id} ascending; a malformed JSON body is the
 * gateway's 4004 "非法的Content"; a parameter of the wrong type (a number that is not one) is 4010
 * "参数类型不匹配"; the heartbeat has status "" and type {@value #CUSTOMER_EVENT}.
 *
 * <p>All state is guarded by this object's lock; a request is answered under it, so each sees and
 * changes the shop atomically. Push messages are sent without holding it, so a receiver may call
 * back into the API while it handles one.
 */
public final class YouzanServer implements AutoCloseable {

  public static final String CLIENT_ID = "a1b2c3d4e5f6a7b8c9";
  public static final String CLIENT_SECRET = "7c3e9a1f5b2d8e4a6c0f9b3d7e1a5c2f";
  public static final long KDT_ID = 42583152L;
  public static final String KDT_NAME = "林记茶铺";

  /** The scope a token is granted with (the capability packs of the app). */
  public static final String SCOPE =
      "shop user customer crm scrm points trade item multi_store open_message";

  public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofDays(7);

  public static final String CUSTOMER_LIST = "youzan.scrm.customer.list/1.0.0";
  public static final String CUSTOMER_LIST_BY_YZ_OPEN_ID =
      "youzan.scrm.customer.list.yzopenid/1.0.0";
  public static final String CUSTOMER_DETAIL = "youzan.scrm.customer.detail.get/1.0.1";
  public static final String TAG_RELATION_ADD = "youzan.scrm.tag.relation.add/4.0.0";
  public static final String TAG_RELATION_DELETE = "youzan.scrm.tag.relation.delete/4.0.0";
  public static final String TAG_RELATION_QUERY = "youzan.scrm.tagrelation.query/1.0.0";

  public static final int DEFAULT_PAGE_SIZE = 20;
  public static final int MAX_PAGE_SIZE = 50;

  /** Youzan returns at most this many results of one list query, over all its pages. */
  public static final int MAX_LIST_RESULTS = 10_000;

  /** The most yz_open_ids one {@code customer.list.yzopenid} takes. */
  public static final int MAX_BATCH = 50;

  public static final int MAX_TAGS_PER_CALL = 20;
  public static final int MAX_TAG_NAME_LENGTH = 30;

  /** Business error codes. */
  public static final int PARAM_ERROR_CODE = 141400001;

  public static final int TAG_NAME_TOO_LONG_CODE = 141400002;
  public static final int CUSTOMER_NOT_FOUND_CODE = 142400105;

  /** What {@code youzan.scrm.customer.detail.get} answers for a customer the shop does not hold. */
  public static final int DETAIL_NOT_FOUND_CODE = 144100001;

  public static final int LIST_CAP_CODE = 142710032;

  /** The push message type of customer changes, and its statuses. */
  public static final String CUSTOMER_EVENT = "SCRM_CUSTOMER_EVENT";

  public static final String CUSTOMER_CREATED = "CUSTOMER_CREATED";
  public static final String CUSTOMER_UPDATED = "CUSTOMER_UPDATED";

  /** The {@code src} of a customer created in the admin or by API (400). */
  public static final int SRC_ADMIN_OR_API = 400;

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String JSON_TYPE = "application/json;charset=UTF-8";
  private static final Duration PUSH_TIMEOUT = Duration.ofSeconds(5);

  /** Headers java.net.http sets itself and refuses from callers; {@link #sendRaw} skips them. */
  private static final Set<String> RESTRICTED_HEADERS =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  private static final Map<Integer, String> GATEWAY_MESSAGES =
      Map.ofEntries(
          Map.entry(4001, "非法请求地址"),
          Map.entry(4004, "非法的Content"),
          Map.entry(4005, "非法的API"),
          Map.entry(4007, "非法的请求姿势"),
          Map.entry(4008, "接口不支持富文本"),
          Map.entry(4009, "openid 不存在"),
          Map.entry(4010, "参数类型不匹配"),
          Map.entry(4101, "请求太频繁"),
          Map.entry(4201, "非法的请求凭证"),
          Map.entry(4202, "请求凭证过期"),
          Map.entry(4203, "Token 不存在"),
          Map.entry(4204, "无权限访问"),
          Map.entry(5001, "系统异常"),
          Map.entry(5002, "业务异常"),
          Map.entry(5003, "插件执行异常"));

  /** Newest first, ties by yz_open_id: the order of {@code customer.list}. */
  private static final Comparator<Customer> LIST_ORDER =
      Comparator.comparing((Customer c) -> c.createdAt).reversed().thenComparing(c -> c.yzOpenId);

  private static final String[] SURNAMES =
      "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢".split("");
  private static final String[] GIVEN =
      "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩欣怡子轩梓涵雨婷俊佳琪晨阳思".split("");
  private static final String[] MOBILE_PREFIXES = {
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
    "155", "156", "157", "158", "159", "180", "181", "182", "183", "185", "186", "187", "188",
    "189"
  };
  private static final char[] OPEN_ID_CHARS =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789".toCharArray();

  private final HttpServer server;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final ExecutorService notifier =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "youzan-push");
            t.setDaemon(true);
            return t;
          });

  private final Map<String, Function<JsonNode, JsonNode>> apis = new HashMap<>();
  private final Map<String, Customer> store = new HashMap<>();
  private final Map<String, Long> tagIds = new LinkedHashMap<>();
  private final List<String> calls = new ArrayList<>();
  private final List<Delivery> deliveries = new ArrayList<>();
  private final Random random = new Random(20240308);

  /** {@code store} in list order; rebuilt when stale (see {@link #listed}). */
  private Customer[] order = new Customer[0];

  private boolean orderStale;
  private long nextTagId = 1203000001L;
  private long lastVersion;

  private volatile Clock clock = Clock.systemUTC();
  private volatile String hookUrl;

  private Duration tokenLifetime = DEFAULT_TOKEN_LIFETIME;
  private String token;
  private Instant tokenExpires;
  private int tokenRequests;
  private int requests;
  private int tagWrites;

  private int gatewayFaultsLeft;
  private int gatewayFaultCode;
  private int httpFaultsLeft;
  private int httpFaultStatus;

  /** Starts the gateway on a free port of 127.0.0.1. */
  public YouzanServer() throws IOException {
    apis.put(CUSTOMER_LIST, this::customerList);
    apis.put(CUSTOMER_LIST_BY_YZ_OPEN_ID, this::customersByYzOpenId);
    apis.put(CUSTOMER_DETAIL, this::customerDetail);
    apis.put(TAG_RELATION_ADD, r -> tagRelation(r, true));
    apis.put(TAG_RELATION_DELETE, r -> tagRelation(r, false));
    apis.put(TAG_RELATION_QUERY, this::tagRelationQuery);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * {@code http://127.0.0.1:<port>}, in place of {@code https://open.youzanyun.com}: the token is
   * at {@code /auth/token}, the APIs under {@code /api/}.
   */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    notifier.shutdown();
  }

  // ---------------------------------------------------------------- settings and hooks

  /** The clock for created times, token expiry and push versions. */
  public void setClock(Clock clock) {
    this.clock = Objects.requireNonNull(clock);
  }

  /** How long tokens issued from now on are valid (7 days by default, as Youzan's). */
  public synchronized void setTokenLifetime(Duration lifetime) {
    this.tokenLifetime = Objects.requireNonNull(lifetime);
  }

  /**
   * The current token expires now: API calls with it get 4202 and the next token request a new one.
   */
  public synchronized void expireTokens() {
    if (token != null) {
      tokenExpires = Instant.now(clock);
    }
  }

  /** The gateway forgets the current token: API calls with it get 4203. */
  public synchronized void forgetTokens() {
    token = null;
    tokenExpires = null;
  }

  /**
   * The next {@code times} API requests get the gateway error {@code errCode} (4101 请求太频繁, 5001
   * 系统异常, 4202...), with Youzan's message for it, before the path, token or body are looked at.
   * Token requests are not affected.
   */
  public synchronized void failNext(int times, int errCode) {
    gatewayFaultsLeft = times;
    gatewayFaultCode = errCode;
  }

  /**
   * The next {@code times} API requests get HTTP {@code httpStatus} with an HTML body, as the proxy
   * in front of the gateway answers when the gateway is down (502, 503, 504). Comes before {@link
   * #failNext}; token requests are not affected.
   */
  public synchronized void failNextHttp(int times, int httpStatus) {
    httpFaultsLeft = times;
    httpFaultStatus = httpStatus;
  }

  /**
   * Where the shop sends an {@value #CUSTOMER_EVENT} {@value #CUSTOMER_UPDATED} push after a tag
   * add or delete changed a customer's tags (from another thread, after the answer); a write that
   * changed nothing sends none. Null turns it off.
   */
  public void notifyChangesTo(String hookUrl) {
    this.hookUrl = hookUrl;
  }

  /** Requests to {@code /auth/token}, refused ones included. */
  public synchronized int tokenRequests() {
    return tokenRequests;
  }

  /** Requests under {@code /api/}, refused ones (faults, bad tokens, errors) included. */
  public synchronized int requests() {
    return requests;
  }

  /**
   * Each request under {@code /api/}, in order, as "{api}/{version} {body}", e.g. {@code
   * youzan.scrm.customer.list/1.0.0 {"page_no":1,"page_size":50}}; refused ones included.
   */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /** Tag add and delete calls that succeeded (whether or not they changed anything). */
  public synchronized int tagWrites() {
    return tagWrites;
  }

  /** Every push sent so far, by the send methods and by {@link #notifyChangesTo}, as answered. */
  public List<Delivery> deliveries() {
    synchronized (deliveries) {
      return List.copyOf(deliveries);
    }
  }

  // ---------------------------------------------------------------- the shop's data, for tests

  /**
   * Adds a customer (not a member, no trades) created now by the server's clock, with a new
   * yz_open_id; {@code mobile} may be null, and no two customers share one, as in a Youzan shop.
   */
  public synchronized Customer create(String name, String mobile) {
    if (mobile != null && store.values().stream().anyMatch(c -> mobile.equals(c.mobile))) {
      throw new IllegalArgumentException("A customer with mobile " + mobile + " exists");
    }
    Customer c = new Customer(newYzOpenId(random));
    c.name = name;
    c.mobile = mobile;
    c.createdAt = now();
    store.put(c.yzOpenId, c);
    orderStale = true;
    return c;
  }

  /**
   * Changes a customer as the merchant would in the admin. A customer who becomes a member without
   * a {@code createdMemberAt} becomes one now. No push is sent: a test says which one the change
   * brings with {@link #sendCustomerEvent}.
   */
  public synchronized void update(String yzOpenId, Consumer<Customer> change) {
    Customer c = existing(yzOpenId);
    change.accept(c);
    if (c.member && c.createdMemberAt == null) {
      c.createdMemberAt = now();
    }
    orderStale = true;
  }

  /** Removes a customer: lists no longer return it (send a push yourself if one should come). */
  public synchronized void delete(String yzOpenId) {
    existing(yzOpenId);
    store.remove(yzOpenId);
    orderStale = true;
  }

  /** The live customer (change it through {@link #update}), or null. */
  public synchronized Customer customer(String yzOpenId) {
    return store.get(yzOpenId);
  }

  /** All customers in the order {@code customer.list} gives them: newest first. */
  public synchronized List<Customer> customers() {
    return List.of(listed());
  }

  /** The tag names of a customer, in the order they were added. */
  public synchronized List<String> tags(String yzOpenId) {
    return List.copyOf(existing(yzOpenId).tags);
  }

  /**
   * Adds {@code count} realistic customers of a tea shop, the same for the same seed (on a fixed
   * clock), created over the last three years; fast enough for a 100,000-customer bench. About 6 %
   * have no mobile, 4 % no name, half are members.
   */
  public synchronized void generate(int count, long seed) {
    Random r = new Random(seed);
    Set<String> mobiles = new HashSet<>();
    store.values().forEach(c -> mobiles.add(c.mobile));
    Instant now = now();
    int threeYears = (int) Duration.ofDays(3 * 365).toSeconds();
    for (int i = 0; i < count; i++) {
      String id;
      do {
        id = newYzOpenId(r);
      } while (store.containsKey(id));
      Customer c = new Customer(id);
      if (r.nextInt(100) >= 4) {
        String name = SURNAMES[r.nextInt(SURNAMES.length)] + GIVEN[r.nextInt(GIVEN.length)];
        c.name = r.nextBoolean() ? name + GIVEN[r.nextInt(GIVEN.length)] : name;
      }
      if (r.nextInt(100) >= 6) {
        String mobile;
        do {
          mobile =
              MOBILE_PREFIXES[r.nextInt(MOBILE_PREFIXES.length)]
                  + digits(r.nextInt(100_000_000), 8);
        } while (!mobiles.add(mobile));
        c.mobile = mobile;
      }
      c.gender = r.nextInt(10) < 2 ? 0 : 1 + r.nextInt(2);
      c.createdAt = now.minusSeconds(1 + r.nextInt(threeYears));
      if (r.nextBoolean()) {
        c.member = true;
        long since = Duration.between(c.createdAt, now).toSeconds();
        c.createdMemberAt = c.createdAt.plusSeconds((long) (r.nextDouble() * since));
        c.tradeCount = r.nextInt(61);
        c.points = c.tradeCount * (long) r.nextInt(200);
      } else {
        c.tradeCount = r.nextInt(4);
      }
      if (c.tradeCount > 0) {
        c.totalTradeAmountFen = c.tradeCount * (1_990L + r.nextInt(40_000));
        long since = Duration.between(c.createdAt, now).toSeconds();
        c.lastTradeAt = c.createdAt.plusSeconds((long) (r.nextDouble() * since));
      }
      if (r.nextInt(20) == 0) {
        c.tags.add("老客户");
        tagId("老客户");
      }
      store.put(id, c);
    }
    orderStale = true;
  }

  private Customer existing(String yzOpenId) {
    Customer c = store.get(yzOpenId);
    if (c == null) {
      throw new IllegalArgumentException("No customer " + yzOpenId);
    }
    return c;
  }

  /**
   * Customers in list order. Rebuilt when the store changed, and also when a test changed a created
   * time directly on a {@link Customer}: checking the order is cheap next to sorting it for each
   * page of a 100,000-customer read.
   */
  private Customer[] listed() {
    boolean sorted = !orderStale && order.length == store.size();
    for (int i = 1; sorted && i < order.length; i++) {
      sorted = LIST_ORDER.compare(order[i - 1], order[i]) <= 0;
    }
    if (!sorted) {
      order = store.values().toArray(new Customer[0]);
      Arrays.sort(order, LIST_ORDER);
      orderStale = false;
    }
    return order;
  }

  /** Like "LnhGm4rh576452722916618240": eight letters or digits, then 18 digits. */
  private static String newYzOpenId(Random r) {
    StringBuilder id = new StringBuilder(26);
    for (int i = 0; i < 8; i++) {
      id.append(OPEN_ID_CHARS[r.nextInt(OPEN_ID_CHARS.length)]);
    }
    id.append(5 + r.nextInt(3));
    id.append(digits((r.nextLong() & Long.MAX_VALUE) % 100_000_000_000_000_000L, 17));
    return id.toString();
  }

  /**
   * {@code value} in decimal with leading zeros to {@code width} digits (String.format is slow).
   */
  private static String digits(long value, int width) {
    String s = Long.toString(value);
    return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
  }

  private Instant now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS);
  }

  private long tagId(String name) {
    return tagIds.computeIfAbsent(name, k -> nextTagId++);
  }

  // ---------------------------------------------------------------- HTTP

  private record Reply(int status, String contentType, String body) {}

  /** A business error of an API, answered with {@code success: false}. */
  private static final class BusinessError extends RuntimeException {
    final int code;

    BusinessError(int code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  /** A gateway error raised while reading the parameters (4010). */
  private static final class GatewayError extends RuntimeException {
    final int code;

    GatewayError(int code) {
      super(GATEWAY_MESSAGES.get(code), null, false, false);
      this.code = code;
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    Reply reply;
    try {
      reply =
          reply(
              exchange.getRequestMethod(),
              exchange.getRequestURI(),
              exchange.getRequestHeaders().getFirst("Content-Type"),
              body);
    } catch (RuntimeException e) { // a bug here: say so instead of dropping the connection
      reply = new Reply(500, "text/plain;charset=UTF-8", "YouzanServer failed: " + e);
    }
    byte[] bytes = reply.body().getBytes(UTF_8);
    exchange.getResponseHeaders().set("Content-Type", reply.contentType());
    exchange.sendResponseHeaders(reply.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private synchronized Reply reply(String method, URI uri, String contentType, byte[] body) {
    String path = uri.getPath();
    if (path.equals("/auth/token")) {
      return new Reply(200, JSON_TYPE, token(method, contentType, body).toString());
    }
    if (path.startsWith("/api/")) {
      return api(method, path.substring("/api/".length()), uri.getRawQuery(), contentType, body);
    }
    return new Reply(404, "text/html;charset=UTF-8", html(404, "Not Found"));
  }

  private static boolean isJson(String contentType) {
    return contentType != null
        && contentType.trim().toLowerCase(Locale.ROOT).startsWith("application/json");
  }

  private static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(body);
    } catch (JacksonException e) {
      return null;
    }
  }

  /** A node as text: strings as they are, numbers in decimal, anything else null. */
  private static String text(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isString() || node.isNumber() || node.isBoolean()) {
      return node.asString();
    }
    return null;
  }

  // ---------------------------------------------------------------- /auth/token

  private ObjectNode token(String method, String contentType, byte[] body) {
    tokenRequests++;
    if (!"POST".equals(method)) {
      return authError(1000, "Request method '" + method + "' not supported");
    }
    if (!isJson(contentType)) {
      return authError(
          1000,
          "Content type '"
              + Objects.toString(contentType, "")
              + "' not supported,Please use 'application/json;charset=UTF-8'");
    }
    JsonNode request = parse(body);
    if (request == null || !request.isObject()) {
      request = JSON.createObjectNode();
    }
    if (!CLIENT_ID.equals(text(request.get("client_id")))) {
      return authError(1103, "Client 不存在");
    }
    if (!CLIENT_SECRET.equals(text(request.get("client_secret")))) {
      return authError(1000, "应用信息错误");
    }
    if (!"silent".equals(text(request.get("authorize_type")))) {
      return authError(1105, "不支持的应用类型");
    }
    if (!Long.toString(KDT_ID).equals(text(request.get("grant_id")))) {
      return authError(1103, "授权关系不存在");
    }
    JsonNode refreshNode = request.path("refresh");
    boolean refresh =
        refreshNode.isBoolean() ? refreshNode.asBoolean() : "true".equals(text(refreshNode));
    Instant now = Instant.now(clock);
    if (refresh || token == null || !now.isBefore(tokenExpires)) {
      token = UUID.randomUUID().toString().replace("-", "");
      tokenExpires = now.plus(tokenLifetime);
    }
    ObjectNode answer = JSON.createObjectNode();
    answer.put("success", true);
    answer.put("code", 200);
    ObjectNode data = answer.putObject("data");
    data.put("access_token", token);
    data.put("expires", tokenExpires.toEpochMilli());
    data.put("scope", SCOPE);
    data.put("authority_id", Long.toString(KDT_ID));
    answer.putNull("message");
    return answer;
  }

  private static ObjectNode authError(int code, String message) {
    ObjectNode answer = JSON.createObjectNode();
    answer.put("success", false);
    answer.put("code", code);
    answer.putNull("data");
    answer.put("message", message);
    return answer;
  }

  // ---------------------------------------------------------------- /api/{api}/{version}

  private Reply api(String method, String apiPath, String query, String contentType, byte[] body) {
    requests++;
    calls.add(apiPath + " " + new String(body, UTF_8));
    if (httpFaultsLeft > 0) {
      httpFaultsLeft--;
      return new Reply(
          httpFaultStatus, "text/html", html(httpFaultStatus, reason(httpFaultStatus)));
    }
    if (gatewayFaultsLeft > 0) {
      gatewayFaultsLeft--;
      return gateway(gatewayFaultCode);
    }
    String[] parts = apiPath.split("/", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      return gateway(4001);
    }
    if (!"POST".equals(method) || !isJson(contentType)) {
      return gateway(4007);
    }
    Function<JsonNode, JsonNode> handler = apis.get(apiPath);
    if (handler == null) {
      return gateway(4005);
    }
    String given = queryParameter(query, "access_token");
    if (given == null || given.isEmpty()) {
      return gateway(4201);
    }
    if (!given.equals(token)) {
      return gateway(4203);
    }
    if (!Instant.now(clock).isBefore(tokenExpires)) {
      return gateway(4202);
    }
    JsonNode request = parse(body);
    if (request == null || !request.isObject()) {
      return gateway(4004);
    }
    try {
      JsonNode data = handler.apply(request);
      ObjectNode answer = JSON.createObjectNode();
      answer.put("trace_id", traceId());
      answer.put("code", 200);
      answer.set("data", data);
      answer.put("success", true);
      answer.put("message", "successful");
      return new Reply(200, JSON_TYPE, answer.toString());
    } catch (BusinessError e) {
      ObjectNode answer = JSON.createObjectNode();
      answer.put("code", e.code);
      answer.putNull("data");
      answer.put("success", false);
      answer.put("message", e.getMessage());
      answer.putNull("request_id");
      return new Reply(200, JSON_TYPE, answer.toString());
    } catch (GatewayError e) {
      return gateway(e.code);
    }
  }

  private static String queryParameter(String rawQuery, String name) {
    if (rawQuery == null) {
      return null;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), UTF_8);
      if (key.equals(name)) {
        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), UTF_8);
      }
    }
    return null;
  }

  private Reply gateway(int code) {
    ObjectNode answer = JSON.createObjectNode();
    ObjectNode error = answer.putObject("gw_err_resp");
    error.put("trace_id", traceId());
    error.put("err_msg", GATEWAY_MESSAGES.getOrDefault(code, "系统异常"));
    error.put("err_code", code);
    return new Reply(200, JSON_TYPE, answer.toString());
  }

  private String traceId() {
    return String.format(
        "yz7-0a%06x-%d-%06d",
        random.nextInt(0x1000000), Instant.now(clock).toEpochMilli(), random.nextInt(1_000_000));
  }

  private static String reason(int status) {
    return switch (status) {
      case 502 -> "Bad Gateway";
      case 503 -> "Service Temporarily Unavailable";
      case 504 -> "Gateway Time-out";
      case 500 -> "Internal Server Error";
      default -> "Error";
    };
  }

  private static String html(int status, String reason) {
    return "<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
        .formatted(status, reason, status, reason);
  }

  // ---------------------------------------------------------------- parameters

  /** A whole number parameter, or {@code fallback} when absent; numeric strings count. */
  private static Long number(JsonNode request, String name, Long fallback) {
    JsonNode n = request.get(name);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      return n.longValue();
    }
    if (n.isString() && n.asString().trim().matches("-?\\d{1,18}")) {
      return Long.parseLong(n.asString().trim());
    }
    throw new GatewayError(4010);
  }

  private static Boolean bool(JsonNode request, String name) {
    JsonNode n = request.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isBoolean()) {
      return n.asBoolean();
    }
    if (n.isString() && (n.asString().equals("true") || n.asString().equals("false"))) {
      return Boolean.parseBoolean(n.asString());
    }
    throw new GatewayError(4010);
  }

  private static BusinessError paramError(String message) {
    return new BusinessError(PARAM_ERROR_CODE, message);
  }

  // ---------------------------------------------------------------- customers

  /** {@code youzan.scrm.customer.list} 1.0.0. */
  private JsonNode customerList(JsonNode request) {
    long pageNo = number(request, "page_no", 1L);
    long pageSize = number(request, "page_size", (long) DEFAULT_PAGE_SIZE);
    Long start = number(request, "created_at_start", null);
    Long end = number(request, "created_at_end", null);
    Long isMember = number(request, "is_member", null);
    Boolean hasMobile = bool(request, "has_mobile");
    if (pageNo < 1) {
      throw paramError("page_no 不能小于 1");
    }
    if (pageSize < 1) {
      throw paramError("page_size 不能小于 1");
    }
    if (pageSize > MAX_PAGE_SIZE) {
      throw paramError("page_size 不能超过 " + MAX_PAGE_SIZE);
    }
    if (isMember != null && isMember != 0 && isMember != 1) {
      throw paramError("is_member 只能是 0 或 1");
    }
    if (pageNo * pageSize > MAX_LIST_RESULTS) {
      throw new BusinessError(LIST_CAP_CODE, "超过列表获取总数");
    }
    Customer[] all = listed();
    // Newest first, so a created_at window is one run of the array.
    int from = end == null ? 0 : firstAtOrBefore(all, end);
    int to = start == null ? all.length : firstAtOrBefore(all, start - 1);
    int offset = (int) ((pageNo - 1) * pageSize);
    List<Customer> page = new ArrayList<>();
    int total = 0;
    for (int i = from; i < to; i++) {
      Customer c = all[i];
      if ((isMember == null || c.member == (isMember == 1))
          && (hasMobile == null || c.hasMobile() == hasMobile)) {
        if (total >= offset && page.size() < pageSize) {
          page.add(c);
        }
        total++;
      }
    }
    ObjectNode data = JSON.createObjectNode();
    data.put("total", total);
    data.put("page_no", pageNo);
    ArrayNode records = data.putArray("record_list");
    page.forEach(c -> records.add(record(c)));
    return data;
  }

  /** The index of the first customer created at or before {@code millis} (array newest first). */
  private static int firstAtOrBefore(Customer[] all, long millis) {
    int lo = 0;
    int hi = all.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (all[mid].createdAt.toEpochMilli() <= millis) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** {@code youzan.scrm.customer.list.yzopenid} 1.0.0: those that exist, in the order asked. */
  private JsonNode customersByYzOpenId(JsonNode request) {
    JsonNode ids = request.path("yz_open_ids");
    if (!ids.isArray() || ids.isEmpty()) {
      throw paramError("yz_open_ids 不能为空");
    }
    if (ids.size() > MAX_BATCH) {
      throw paramError("yz_open_ids 不能超过 " + MAX_BATCH + " 个");
    }
    ArrayNode data = JSON.createArrayNode();
    for (JsonNode id : ids) {
      Customer c = store.get(text(id));
      if (c != null) {
        data.add(record(c));
      }
    }
    return data;
  }

  /**
   * {@code youzan.scrm.customer.detail.get} 1.0.1: one customer by {@code yz_open_id} or by {@code
   * account_info} (type 2 mobile, 5 yz_open_id), its fields flat under {@code data} as the SDK's
   * result model has them; {@code fields} (required) says which groups: {@code user_base} the
   * person, {@code behavior} the purchases (amounts in fen, times in Unix seconds), {@code credit}
   * the points. {@code created_at} is in milliseconds, as the doc's example shows it.
   */
  private JsonNode customerDetail(JsonNode request) {
    String fields = text(request.path("fields"));
    bool(request, "is_do_ext_point");
    if (fields == null) {
      throw paramError("fields 不能为空");
    }
    Set<String> groups = new HashSet<>(Arrays.asList(fields.split(",")));
    String id = text(request.path("yz_open_id"));
    Customer c = null;
    if (id != null) {
      c = store.get(id);
    } else if (request.path("account_info").isObject()) {
      JsonNode account = request.path("account_info");
      String accountId = text(account.path("account_id"));
      long type = number(account, "account_type", 0L);
      if (accountId == null || (type != 2 && type != 5)) {
        throw paramError("account_info 不合法");
      }
      c =
          type == 5
              ? store.get(accountId)
              : store.values().stream()
                  .filter(x -> accountId.equals(x.mobile))
                  .findFirst()
                  .orElse(null);
    } else {
      throw paramError("yz_open_id 与帐号 ID 不能同时为空");
    }
    if (c == null) {
      throw new BusinessError(DETAIL_NOT_FOUND_CODE, "用户不存在或已注销");
    }
    ObjectNode data = JSON.createObjectNode();
    data.put("yz_open_id", c.yzOpenId);
    if (groups.contains("user_base")) {
      data.put("name", Objects.toString(c.name, ""));
      data.put("show_name", c.showName());
      data.put("mobile", Objects.toString(c.mobile, ""));
      data.put("gender", c.gender);
      data.put("birthday", Objects.toString(c.birthday, ""));
      data.put("created_at", c.createdAt.toEpochMilli());
    }
    if (groups.contains("behavior")) {
      data.put("trade_count", c.tradeCount);
      data.put("total_trade_amount", c.totalTradeAmountFen);
      data.put("last_trade_at", c.lastTradeAt == null ? 0 : c.lastTradeAt.getEpochSecond());
      data.put("refund_count", 0);
      data.put("refund_trade_amount", 0);
    }
    if (groups.contains("credit")) {
      data.put("points", c.points);
    }
    return data;
  }

  private static ObjectNode record(Customer c) {
    ObjectNode r = JSON.createObjectNode();
    r.put("yz_open_id", c.yzOpenId);
    r.put("show_name", c.showName());
    r.put("name", Objects.toString(c.name, ""));
    r.put("mobile", Objects.toString(c.mobile, ""));
    r.put("gender", c.gender);
    r.put("is_member", c.member ? 1 : 0);
    r.put("trade_count", c.tradeCount);
    r.put("points", c.points);
    r.put("created_at", c.createdAt.getEpochSecond());
    r.put("created_member_at", c.createdMemberAt == null ? 0 : c.createdMemberAt.getEpochSecond());
    r.put("is_mobile_enable", c.hasMobile());
    return r;
  }

  // ---------------------------------------------------------------- tags

  /** {@code youzan.scrm.tag.relation.add} / {@code .delete} 4.0.0. */
  private JsonNode tagRelation(JsonNode request, boolean add) {
    String accountType = text(request.get("account_type"));
    String accountId = text(request.get("account_id"));
    if (!"YzOpenId".equals(accountType) && !"Mobile".equals(accountType)) {
      throw paramError("account_type 不支持: " + accountType);
    }
    if (accountId == null || accountId.isEmpty()) {
      throw paramError("account_id 不能为空");
    }
    JsonNode tags = request.path("tags");
    if (!tags.isArray() || tags.isEmpty()) {
      throw paramError("tags 不能为空");
    }
    if (tags.size() > MAX_TAGS_PER_CALL) {
      throw paramError("tags 不能超过 " + MAX_TAGS_PER_CALL + " 个");
    }
    List<String> names = new ArrayList<>();
    for (JsonNode tag : tags) {
      String name = tag.isObject() ? text(tag.get("tag_name")) : null;
      if (name == null || name.isBlank()) {
        throw paramError("tag_name 不能为空");
      }
      if (name.codePointCount(0, name.length()) > MAX_TAG_NAME_LENGTH) {
        throw new BusinessError(TAG_NAME_TOO_LONG_CODE, "标签名称过长");
      }
      names.add(name);
    }
    Customer c = accountType.equals("YzOpenId") ? store.get(accountId) : byMobile(accountId);
    if (c == null) {
      throw new BusinessError(CUSTOMER_NOT_FOUND_CODE, "客户不存在");
    }
    boolean changed = false;
    for (String name : names) {
      if (add) {
        tagId(name);
        if (!c.tags.contains(name)) {
          c.tags.add(name);
          changed = true;
        }
      } else {
        changed |= c.tags.remove(name);
      }
    }
    tagWrites++;
    String url = hookUrl;
    if (changed && url != null) {
      byte[] body = pushBody(CUSTOMER_UPDATED, c.yzOpenId, msg(c, false), false);
      notifier.execute(() -> sendQuietly(url, body));
    }
    return JSON.getNodeFactory().booleanNode(true);
  }

  /** {@code youzan.scrm.tagrelation.query} 1.0.0; account_type 5 is yz_open_id, 2 mobile. */
  private JsonNode tagRelationQuery(JsonNode request) {
    JsonNode account = request.path("account");
    if (!account.isObject()) {
      throw paramError("account 不能为空");
    }
    Long type = number(account, "account_type", null);
    String id = text(account.get("account_id"));
    if (type == null || (type != 5 && type != 2)) {
      throw paramError("account_type 不支持: " + type);
    }
    if (id == null || id.isEmpty()) {
      throw paramError("account_id 不能为空");
    }
    Customer c = type == 5 ? store.get(id) : byMobile(id);
    if (c == null) {
      throw new BusinessError(CUSTOMER_NOT_FOUND_CODE, "客户不存在");
    }
    ObjectNode data = JSON.createObjectNode();
    data.put("yz_open_id", c.yzOpenId);
    ArrayNode tags = data.putArray("tags");
    for (String name : c.tags) {
      ObjectNode tag = tags.addObject();
      tag.put("tag_id", tagId(name));
      tag.put("name", name);
      tag.put("category_id", 0);
      tag.put("category_name", "");
    }
    return data;
  }

  private Customer byMobile(String mobile) {
    return store.values().stream().filter(c -> mobile.equals(c.mobile)).findFirst().orElse(null);
  }

  // ---------------------------------------------------------------- push messages

  /** How a receiver answered a push; it counts only as HTTP 200 with "success" in the body. */
  public record Delivery(int status, String body, boolean success) {}

  /**
   * Sends an {@value #CUSTOMER_EVENT} push with {@code status} {@value #CUSTOMER_CREATED} or
   * {@value #CUSTOMER_UPDATED} for the customer as it is now; answers how the receiver answered.
   * Waits up to 5 s for the answer, as Youzan does, then fails with an IOException
   * (HttpTimeoutException).
   */
  public Delivery sendCustomerEvent(String hookUrl, String status, String yzOpenId)
      throws IOException {
    byte[] body = customerEventBody(status, yzOpenId);
    return sendRaw(hookUrl, pushHeaders(body), body);
  }

  /**
   * The customer logs off (注销): removed from the shop, then a {@value #CUSTOMER_UPDATED} push with
   * {@code is_log_off: true} sent.
   */
  public Delivery sendLogOff(String hookUrl, String yzOpenId) throws IOException {
    byte[] body;
    synchronized (this) {
      Customer c = existing(yzOpenId);
      store.remove(yzOpenId);
      orderStale = true;
      body = pushBody(CUSTOMER_UPDATED, yzOpenId, msg(c, true), false);
    }
    return sendRaw(hookUrl, pushHeaders(body), body);
  }

  /** A test message ({@code "test": true}, {@code msg} "", {@code id} "0"), as Youzan's check. */
  public Delivery sendHeartbeat(String hookUrl) throws IOException {
    byte[] body;
    synchronized (this) {
      body = pushBody("", "0", "", true);
    }
    return sendRaw(hookUrl, pushHeaders(body), body);
  }

  /**
   * The body {@link #sendCustomerEvent} would send now (a new msg_id and version each time), for
   * tests that tamper with it or send it twice through {@link #sendRaw}.
   */
  public synchronized byte[] customerEventBody(String status, String yzOpenId) {
    if (!CUSTOMER_CREATED.equals(status) && !CUSTOMER_UPDATED.equals(status)) {
      throw new IllegalArgumentException("Not a customer event status: " + status);
    }
    return pushBody(status, yzOpenId, msg(existing(yzOpenId), false), false);
  }

  /** The headers a push of {@code body} comes with: Event-Sign, Event-Type, Client-Id. */
  public static Map<String, String> pushHeaders(byte[] body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Event-Sign", eventSign(body));
    headers.put("Event-Type", CUSTOMER_EVENT);
    headers.put("Client-Id", CLIENT_ID);
    return headers;
  }

  /**
   * POSTs exactly these headers and bytes (bad signatures, replays, oversized bodies); headers with
   * a null value, and those java.net.http sets itself (Content-Length, Host...), are skipped.
   */
  public Delivery sendRaw(String hookUrl, Map<String, String> headers, byte[] body)
      throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(hookUrl))
            .timeout(PUSH_TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(
        (name, value) -> {
          if (value != null && !RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            request.header(name, value);
          }
        });
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted sending a push to " + hookUrl);
    }
    String answer = Objects.toString(response.body(), "");
    Delivery delivery =
        new Delivery(
            response.statusCode(),
            answer,
            response.statusCode() == 200 && answer.contains("success"));
    synchronized (deliveries) {
      deliveries.add(delivery);
    }
    return delivery;
  }

  /** For pushes from {@link #notifyChangesTo}: a failure is recorded as status 0, not thrown. */
  private void sendQuietly(String url, byte[] body) {
    try {
      sendRaw(url, pushHeaders(body), body);
    } catch (IOException e) {
      synchronized (deliveries) {
        deliveries.add(new Delivery(0, e.toString(), false));
      }
    }
  }

  /** {@code Event-Sign}: lowercase hex md5 of client_id, the raw body and client_secret (UTF-8). */
  public static String eventSign(byte[] body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(CLIENT_ID.getBytes(UTF_8));
    bytes.writeBytes(body);
    bytes.writeBytes(CLIENT_SECRET.getBytes(UTF_8));
    return md5(bytes.toByteArray());
  }

  /** The legacy body {@code sign}: md5 of client_id + msg (still URL-encoded) + client_secret. */
  public static String bodySign(String msg) {
    return md5((CLIENT_ID + msg + CLIENT_SECRET).getBytes(UTF_8));
  }

  private static String md5(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The msg JSON of a customer event, before URL encoding. */
  private static String msg(Customer c, boolean logOff) {
    ObjectNode m = JSON.createObjectNode();
    m.put("account_type", "YzOpenId");
    m.put("account_id", c.yzOpenId);
    m.put("yz_open_id", c.yzOpenId);
    m.put("mobile", Objects.toString(c.mobile, ""));
    m.put("name", Objects.toString(c.name, ""));
    m.put("gender", c.gender);
    m.put("birthday", Objects.toString(c.birthday, ""));
    m.put("is_member", c.member ? 1 : 0);
    m.put("src", SRC_ADMIN_OR_API);
    m.put("is_log_off", logOff);
    return m.toString();
  }

  /** A push body; {@code version} grows by at least 1 per message, even on a fixed clock. */
  private byte[] pushBody(String status, String id, String msgJson, boolean test) {
    String msg = URLEncoder.encode(msgJson, UTF_8);
    lastVersion = Math.max(Instant.now(clock).toEpochMilli(), lastVersion + 1);
    ObjectNode b = JSON.createObjectNode();
    b.put("client_id", CLIENT_ID);
    b.put("id", id);
    b.put("kdt_id", KDT_ID);
    b.put("kdt_name", KDT_NAME);
    b.put("mode", 0);
    b.put("msg", msg);
    b.put("msg_id", UUID.randomUUID().toString());
    b.put("sendCount", 0);
    b.put("sign", bodySign(msg));
    b.put("status", status);
    b.put("test", test);
    b.put("type", CUSTOMER_EVENT);
    b.put("version", lastVersion);
    return JSON.writeValueAsBytes(b);
  }

  // ---------------------------------------------------------------- the shop's customers

  /**
   * A customer as the shop holds it; change it through {@link YouzanServer#update} (a created time
   * changed directly is noticed too, but not atomically with requests).
   */
  public static final class Customer {
    public final String yzOpenId;
    public String name;
    public String mobile;

    /** 0 unknown, 1 male, 2 female. */
    public int gender;

    public boolean member;
    public int tradeCount;

    /** 购买总金额 in fen, as Youzan counts money; only the customer's detail gives it. */
    public long totalTradeAmountFen;

    /** The last purchase; null for none. Only the customer's detail gives it. */
    public Instant lastTradeAt;

    public long points;
    public String birthday = "";
    public Instant createdAt;

    /** When the customer became a member; null for none. */
    public Instant createdMemberAt;

    final List<String> tags = new ArrayList<>(0);

    Customer(String yzOpenId) {
      this.yzOpenId = yzOpenId;
    }

    boolean hasMobile() {
      return mobile != null && !mobile.isEmpty();
    }

    /** The name, else the mobile, as Youzan shows a customer. */
    public String showName() {
      return name != null && !name.isEmpty() ? name : Objects.toString(mobile, "");
    }

    @Override
    public String toString() {
      return "Customer " + yzOpenId + " " + showName() + " created " + createdAt;
    }
  }
}
