package com.onemember.connectors.wechat;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
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
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local stand-in for WeChat's servers as a brand's mini-programs (小程序) see them, over a real
 * socket, so that the {@code wechat-miniprogram} connector is tested against the wire protocol and
 * not against mocks of our own client: the server API at {@code api.weixin.qq.com} that the hub
 * calls, and the message push (消息推送) that WeChat sends to the hub.
 *
 * <p>The server API, at {@link #baseUrl()} in place of {@code https://api.weixin.qq.com}:
 *
 * <ul>
 *   <li>Every answer is HTTP 200; errors are in the body as {@code {"errcode":N,"errmsg":"..."}},
 *       and the errmsg ends with a request id ({@code "invalid code rid: 6752a1c0-..."}) as
 *       WeChat's do, so a client has to go by errcode, never by the message.
 *   <li>{@code GET /cgi-bin/token}: a new token for each request, 7200 s, and the one it replaces
 *       stays valid 5 more minutes (WeChat's documented overlap); any older one is gone (40001).
 *       {@code POST /cgi-bin/stable_token}: isolated from the former; the same token while it has
 *       more than 5 minutes left (with {@code expires_in} the time it has left), a new one in its
 *       last 5 minutes (the old one still valid to its end), and a new one with {@code
 *       force_refresh: true}, which ends the old one at once. An expired token is 42001, a replaced
 *       or unknown one 40001.
 *   <li>{@code GET /sns/jscode2session} with codes from {@link #loginCode}: valid 5 minutes, once
 *       (40029 invalid, 40163 used). The success has no errcode, as WeChat's no longer has (the
 *       docs' example still shows one); unionid only for an app bound to the brand's open platform
 *       account. It comes as {@code text/plain}, as WeChat's does; the other APIs come as {@code
 *       application/json; encoding=utf-8}: a client has to parse the body whatever the header says.
 *   <li>{@code POST /wxa/business/getuserphonenumber?access_token=} with codes from {@link
 *       #phoneCode}: valid 5 minutes, once, for the app that issued them (40029 otherwise).
 *   <li>The member-card API of 微信卡券 with the app's token: {@code /card/user/getcardlist} (a
 *       person's cards), {@code /card/membercard/userinfo/get} (points and status) and {@code
 *       /card/membercard/updateuser} (points set or added with a history line, the level in the
 *       first custom field); a deleted card's code is 40056. Cards are given with {@link
 *       #giveCard}.
 *   <li>{@link #rateLimitNext} (45011) and {@link #failNext} (-1) hit jscode2session and
 *       getuserphonenumber, not the token endpoints, and consume no code, so a retry can succeed.
 * </ul>
 *
 * <p>The message push to the hub's URL, as the mini-program docs describe it and with their
 * published test vectors checked in {@code WeChatServerTest}: the URL check ({@link #verifyUrl}),
 * and events in plain or safe mode (加密, WXBizMsgCrypt: AES-256-CBC, PKCS#7 to 32 bytes), as XML or
 * JSON ({@link #push} and the member-card events). A push waits 5 s for an answer, as WeChat does,
 * and counts only when answered with HTTP 200 and "success" or an empty body ({@link Delivery}).
 * The crypto helpers ({@link #signature}, {@link #encrypt}, {@link #decrypt}) are written here
 * independently of the connector's, so each can check the other.
 *
 * <p>Choices where WeChat's behaviour is not documented, made so that a careless client fails here:
 * countryCode is the string "86" (the docs' example shows a number: {@link #countryCodeAsNumber}
 * switches); a foreign phoneNumber is "+" + country code + number; missing parameters get WeChat's
 * usual 41xxx codes; a phone code used twice is 40029.
 *
 * <p>All state is guarded by this object's lock; each API request is answered under it. Pushes are
 * sent without holding it, so a receiver may call the API back while it handles one.
 */
public final class WeChatServer implements AutoCloseable {

  /** Seconds an access token is valid, WeChat's {@code expires_in}. */
  public static final int TOKEN_LIFETIME_SECONDS = 7200;

  /** How long a replaced token keeps working, and how early a stable token is renewed. */
  public static final Duration TOKEN_OVERLAP = Duration.ofMinutes(5);

  /** How long login and phone codes are valid. */
  public static final Duration CODE_LIFETIME = Duration.ofMinutes(5);

  /** How long a push or URL check waits for the hub's answer, as WeChat. */
  public static final Duration PUSH_TIMEOUT = Duration.ofSeconds(5);

  /** The unionid prefix of the brand's open platform account (unionids share it, as WeChat's). */
  public static final String UNIONID_PREFIX = "oZ9Fq5";

  public static final String USER_GET_CARD = "user_get_card";
  public static final String USER_DEL_CARD = "user_del_card";
  public static final String SUBMIT_MEMBERCARD_USER_INFO = "submit_membercard_user_info";

  /** Plain (明文模式) or safe (安全模式) push; WeChat's compatible mode is not imitated. */
  public enum Mode {
    PLAIN,
    SAFE
  }

  /** The push data format chosen in the mini-program's settings. */
  public enum Format {
    XML,
    JSON
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String API_JSON = "application/json; encoding=utf-8";
  private static final String SNS_TEXT = "text/plain";
  private static final Pattern APP_ID = Pattern.compile("wx[0-9a-f]{16}");
  private static final Pattern ENCODING_AES_KEY = Pattern.compile("[A-Za-z0-9]{43}");
  private static final Pattern MAINLAND_MOBILE = Pattern.compile("1[3-9]\\d{9}");
  private static final Pattern FOREIGN_PHONE = Pattern.compile("\\+(\\d{1,4}) (\\d{4,14})");
  private static final String ALNUM =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String ID_CHARS = ALNUM + "-_";
  private static final SecureRandom SECURE = new SecureRandom();

  /** Headers java.net.http sets itself and refuses from callers; {@link #sendRaw} skips them. */
  private static final Set<String> RESTRICTED_HEADERS =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  private static final String[] SURNAMES =
      "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢".split("");
  private static final String[] GIVEN =
      "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩欣怡子轩梓涵雨婷俊佳琪晨阳思".split("");
  private static final String[] MOBILE_PREFIXES = {
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
    "155", "156", "157", "158", "159", "166", "177", "180", "181", "182", "183", "185", "186",
    "187", "188", "189", "191", "198", "199"
  };

  private final HttpServer server;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(PUSH_TIMEOUT)
          .build();

  private final Map<String, App> apps = new LinkedHashMap<>();
  private final Map<String, Person> people = new LinkedHashMap<>();
  private final Set<String> phones = new HashSet<>();
  private final Map<String, Token> tokens = new HashMap<>();
  private final Map<String, Token> stableTokens = new HashMap<>();
  private final Map<String, Code> codes = new HashMap<>();
  private final Map<String, String> sessionKeys = new HashMap<>();
  private final Map<String, Card> cards = new LinkedHashMap<>();
  private final List<String> calls = new ArrayList<>();
  private final List<Delivery> deliveries = new ArrayList<>();
  private final Random random = new Random(20241206);

  private volatile Clock clock = Clock.systemUTC();
  private int tokenRequests;
  private int rateLimitsLeft;
  private int faultsLeft;
  private boolean countryCodeAsNumber;

  /** Starts the server on a free port of 127.0.0.1. */
  public WeChatServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** {@code http://127.0.0.1:<port>}, in place of {@code https://api.weixin.qq.com}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  // ---------------------------------------------------------------- apps and people

  /**
   * A mini-program of the brand. Its original id (gh_...), push token and EncodingAESKey are
   * derived from the app id, the same each run; {@link #setPushConfig} changes the latter two.
   *
   * @param unionBound bound to the brand's open platform account: only then does jscode2session
   *     give the unionid, the same across all bound apps
   */
  public record App(
      String appId,
      String secret,
      String originalId,
      boolean unionBound,
      String pushToken,
      String encodingAesKey) {}

  /**
   * A WeChat user: one unionid across the brand's apps, one openid per app. {@code phone} is a
   * mainland mobile ("13812345678"), a foreign one as "+852 61234567", or null; {@code name} is
   * only for the tests' reading (WeChat does not give names to these APIs) and may be null.
   */
  public record Person(String unionid, String phone, String name) {

    /** This person's openid in {@code appId}: derived, the same each run, different per app. */
    public String openid(String appId) {
      return WeChatServer.openid(appId, unionid);
    }

    @Override
    public String toString() {
      return "Person " + unionid + " " + Objects.toString(name, "") + " " + phone;
    }
  }

  /** Adds an app bound to the brand's open platform account (see {@link App}). */
  public App addApp(String appId, String secret) {
    return addApp(appId, secret, true);
  }

  /** Adds an app, bound to the brand's open platform account or not. */
  public App addApp(String appId, String secret, boolean unionBound) {
    return addApp(appId, secret, unionBound, "gh_" + hex(sha256("gh|" + appId)).substring(0, 12));
  }

  /** Adds an app with its original id ("gh_" + 12 hex digits), the ToUserName of its pushes. */
  public synchronized App addApp(
      String appId, String secret, boolean unionBound, String originalId) {
    if (!APP_ID.matcher(appId).matches()) {
      throw new IllegalArgumentException("An app id is wx + 16 hex digits: " + appId);
    }
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("No secret for " + appId);
    }
    if (apps.containsKey(appId)) {
      throw new IllegalArgumentException("App " + appId + " exists");
    }
    byte[] derived = sha512("push|" + appId);
    String token = alnum(derived, 0, 32);
    String aesKey = alnum(derived, 16, 43);
    App app = new App(appId, secret, originalId, unionBound, token, aesKey);
    apps.put(appId, app);
    return app;
  }

  /**
   * The push token (3 to 32 letters or digits) and EncodingAESKey (43 letters or digits) the app is
   * set up with on WeChat's side, as the hub must be configured; answers the changed app.
   */
  public synchronized App setPushConfig(String appId, String token, String encodingAesKey) {
    App app = app(appId);
    aesKey(encodingAesKey);
    App changed =
        new App(
            app.appId(),
            app.secret(),
            app.originalId(),
            app.unionBound(),
            Objects.requireNonNull(token),
            encodingAesKey);
    apps.put(appId, changed);
    return changed;
  }

  /** The app, or an IllegalArgumentException. */
  public synchronized App app(String appId) {
    App app = apps.get(appId);
    if (app == null) {
      throw new IllegalArgumentException("No app " + appId);
    }
    return app;
  }

  /** Adds a person without a name (see {@link Person}); unionids and phones are unique. */
  public Person addPerson(String unionid, String phone) {
    return addPerson(unionid, phone, null);
  }

  /** Adds a person; unionids and phones are unique, as on WeChat. */
  public synchronized Person addPerson(String unionid, String phone, String name) {
    if (unionid == null || !unionid.matches("o[A-Za-z0-9_-]{27}")) {
      throw new IllegalArgumentException("A unionid is o + 27 characters: " + unionid);
    }
    if (people.containsKey(unionid)) {
      throw new IllegalArgumentException("Person " + unionid + " exists");
    }
    if (phone != null) {
      splitPhone(phone);
      if (!phones.add(phone)) {
        throw new IllegalArgumentException("Phone " + phone + " belongs to someone else");
      }
    }
    Person person = new Person(unionid, phone, name);
    people.put(unionid, person);
    return person;
  }

  /** The person with this unionid, or null. */
  public synchronized Person person(String unionid) {
    return people.get(unionid);
  }

  /** The person with this openid in {@code appId}, or null. */
  public synchronized Person personByOpenid(String appId, String openid) {
    for (Person p : people.values()) {
      if (p.openid(appId).equals(openid)) {
        return p;
      }
    }
    return null;
  }

  /** Everyone, in the order added. */
  public synchronized List<Person> people() {
    return List.copyOf(people.values());
  }

  /**
   * Adds {@code count} people with Chinese names, unique unionids and mainland mobiles (about 5 %
   * without one), the same for the same seed; fast enough for a 100,000-person bench.
   */
  public synchronized List<Person> generate(int count, long seed) {
    Random r = new Random(seed);
    List<Person> added = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String unionid;
      do {
        StringBuilder id = new StringBuilder(UNIONID_PREFIX);
        while (id.length() < 28) {
          id.append(ID_CHARS.charAt(r.nextInt(ID_CHARS.length())));
        }
        unionid = id.toString();
      } while (people.containsKey(unionid));
      String phone = null;
      if (r.nextInt(100) >= 5) {
        do {
          String prefix = MOBILE_PREFIXES[r.nextInt(MOBILE_PREFIXES.length)];
          String digits = Integer.toString(r.nextInt(100_000_000));
          phone = prefix + "0".repeat(8 - digits.length()) + digits;
        } while (phones.contains(phone));
        phones.add(phone);
      }
      String name = SURNAMES[r.nextInt(SURNAMES.length)] + GIVEN[r.nextInt(GIVEN.length)];
      if (r.nextBoolean()) {
        name += GIVEN[r.nextInt(GIVEN.length)];
      }
      Person p = new Person(unionid, phone, name);
      people.put(unionid, p);
      added.add(p);
    }
    return added;
  }

  /**
   * The openid of {@code unionid} in {@code appId}: "o", five characters shared by all users of the
   * app (as WeChat's openids of one app share a prefix), then 22 derived from both.
   */
  static String openid(String appId, String unionid) {
    byte[] prefix = sha256("openid-prefix|" + appId);
    byte[] rest = sha256("openid|" + appId + "|" + unionid);
    StringBuilder id = new StringBuilder(28).append('o');
    for (int i = 0; i < 5; i++) {
      id.append(ID_CHARS.charAt(prefix[i] & 63));
    }
    for (int i = 0; i < 22; i++) {
      id.append(ID_CHARS.charAt(rest[i] & 63));
    }
    return id.toString();
  }

  // ---------------------------------------------------------------- what the mini-program does

  /**
   * What {@code wx.login()} gives the mini-program of {@code appId} for this person: a code for
   * jscode2session, valid {@link #CODE_LIFETIME} on the server's clock, once.
   */
  public synchronized String loginCode(String appId, Person person) {
    return issue(appId, person, false);
  }

  /**
   * What the getPhoneNumber button gives the mini-program of {@code appId}: a code for
   * getuserphonenumber, valid {@link #CODE_LIFETIME}, once. The person must have a phone.
   */
  public synchronized String phoneCode(String appId, Person person) {
    if (person.phone() == null) {
      throw new IllegalArgumentException(person + " has no phone");
    }
    return issue(appId, person, true);
  }

  /** The session_key jscode2session last gave for this person in this app, or null. */
  public synchronized String sessionKey(String appId, Person person) {
    return sessionKeys.get(appId + "/" + person.unionid());
  }

  private String issue(String appId, Person person, boolean phone) {
    app(appId);
    if (!person.equals(people.get(person.unionid()))) {
      throw new IllegalArgumentException("Not added here: " + person);
    }
    String value;
    do {
      value = phone ? randomHex(64) : randomString(ALNUM, 32);
    } while (codes.containsKey(value));
    codes.put(value, new Code(appId, person, phone, Instant.now(clock)));
    return value;
  }

  // ---------------------------------------------------------------- settings and hooks

  /** The clock for token and code lifetimes, CreateTime, timestamps and watermarks. */
  public void setClock(Clock clock) {
    this.clock = Objects.requireNonNull(clock);
  }

  /** Every token issued so far expires now: calls with one get 42001. */
  public synchronized void expireTokens() {
    Instant now = Instant.now(clock);
    for (Token t : tokens.values()) {
      if (t.expires.isAfter(now)) {
        t.expires = now;
      }
    }
  }

  /** Every token issued so far stops working: calls with one get 40001. */
  public synchronized void invalidateTokens() {
    tokens.values().forEach(t -> t.invalid = true);
  }

  /**
   * The next {@code times} jscode2session or getuserphonenumber requests get 45011 "api
   * minute-quota reach limit mustslower retry next minute"; no code is consumed.
   */
  public synchronized void rateLimitNext(int times) {
    rateLimitsLeft = times;
  }

  /**
   * The next {@code times} jscode2session or getuserphonenumber requests get -1 "system error"; no
   * code is consumed. Comes after {@link #rateLimitNext}.
   */
  public synchronized void failNext(int times) {
    faultsLeft = times;
  }

  /** Whether getuserphonenumber gives countryCode as the number 86 rather than "86". */
  public synchronized void countryCodeAsNumber(boolean asNumber) {
    countryCodeAsNumber = asNumber;
  }

  /** Requests to {@code /cgi-bin/token} and {@code /cgi-bin/stable_token}, refused ones too. */
  public synchronized int tokenRequests() {
    return tokenRequests;
  }

  /** Every request as "METHOD /path", in order, refused ones too. */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /** Every push sent so far (by {@link #push}, its variants and {@link #sendRaw}), as answered. */
  public List<Delivery> deliveries() {
    synchronized (deliveries) {
      return List.copyOf(deliveries);
    }
  }

  // ---------------------------------------------------------------- HTTP

  private record Reply(int status, String contentType, String body) {}

  private static final class Token {
    final String value;
    final String appId;
    final boolean stable;
    Instant expires;
    Instant replaced;
    boolean invalid;

    Token(String value, String appId, boolean stable, Instant expires) {
      this.value = value;
      this.appId = appId;
      this.stable = stable;
      this.expires = expires;
    }
  }

  private static final class Code {
    final String appId;
    final Person person;
    final boolean phone;
    final Instant issued;
    boolean used;

    Code(String appId, Person person, boolean phone, Instant issued) {
      this.appId = appId;
      this.person = person;
      this.phone = phone;
      this.issued = issued;
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    Reply reply;
    try {
      reply = reply(exchange.getRequestMethod(), exchange.getRequestURI(), body);
    } catch (RuntimeException e) { // a bug here: say so instead of dropping the connection
      reply = new Reply(500, "text/plain;charset=UTF-8", "WeChatServer failed: " + e);
    }
    byte[] bytes = reply.body().getBytes(UTF_8);
    exchange.getResponseHeaders().set("Content-Type", reply.contentType());
    exchange.sendResponseHeaders(reply.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private synchronized Reply reply(String method, URI uri, byte[] body) {
    String path = uri.getPath();
    calls.add(method + " " + path);
    Map<String, String> query = parseQuery(uri.getRawQuery());
    return switch (path) {
      case "/cgi-bin/token" -> new Reply(200, API_JSON, token(query).toString());
      case "/cgi-bin/stable_token" ->
          new Reply(200, API_JSON, stableToken(method, body).toString());
      case "/sns/jscode2session" -> new Reply(200, SNS_TEXT, code2Session(query).toString());
      case "/wxa/business/getuserphonenumber" ->
          new Reply(200, API_JSON, phoneNumber(method, query, body).toString());
      case "/card/user/getcardlist" ->
          new Reply(200, API_JSON, cardApi(method, query, body, this::cardList).toString());
      case "/card/membercard/userinfo/get" ->
          new Reply(200, API_JSON, cardApi(method, query, body, this::cardUserInfo).toString());
      case "/card/membercard/updateuser" ->
          new Reply(200, API_JSON, cardApi(method, query, body, this::cardUpdateUser).toString());
      default ->
          new Reply(
              404,
              "text/html",
              "<html><head><title>404 Not Found</title></head><body>404 Not Found</body></html>");
    };
  }

  private ObjectNode error(int code, String message) {
    ObjectNode answer = JSON.createObjectNode();
    answer.put("errcode", code);
    answer.put("errmsg", message + " rid: " + rid());
    return answer;
  }

  private String rid() {
    return String.format(
        "%08x-%08x-%08x", Instant.now(clock).getEpochSecond(), random.nextInt(), random.nextInt());
  }

  private static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> query = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), UTF_8);
      query.putIfAbsent(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), UTF_8));
    }
    return query;
  }

  private static JsonNode parseJson(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (JacksonException e) {
      return null;
    }
  }

  private static String text(JsonNode node) {
    return node != null && (node.isString() || node.isNumber()) ? node.asString() : null;
  }

  // ---------------------------------------------------------------- tokens

  private ObjectNode token(Map<String, String> query) {
    tokenRequests++;
    ObjectNode refused =
        credentials(query.get("grant_type"), query.get("appid"), query.get("secret"));
    if (refused != null) {
      return refused;
    }
    String appId = query.get("appid");
    Instant now = Instant.now(clock);
    for (Token old : tokens.values()) {
      if (!old.stable && old.appId.equals(appId)) {
        if (old.replaced == null) {
          old.replaced = now; // the latest one: valid TOKEN_OVERLAP more
        } else {
          old.invalid = true; // replaced before: gone
        }
      }
    }
    Token t = newToken(appId, false, now);
    return tokenAnswer(t.value, TOKEN_LIFETIME_SECONDS);
  }

  private ObjectNode stableToken(String method, byte[] body) {
    tokenRequests++;
    if (!"POST".equals(method)) {
      return error(43002, "require POST method");
    }
    JsonNode request = parseJson(body);
    if (request == null || !request.isObject()) {
      return error(47001, "data format error");
    }
    JsonNode force = request.path("force_refresh");
    if (!force.isMissingNode() && !force.isNull() && !force.isBoolean()) {
      return error(47001, "data format error");
    }
    ObjectNode refused =
        credentials(
            text(request.get("grant_type")),
            text(request.get("appid")),
            text(request.get("secret")));
    if (refused != null) {
      return refused;
    }
    String appId = text(request.get("appid"));
    Instant now = Instant.now(clock);
    Token current = stableTokens.get(appId);
    boolean refresh = force.isBoolean() && force.booleanValue();
    if (!refresh
        && current != null
        && !current.invalid
        && now.plus(TOKEN_OVERLAP).isBefore(current.expires)) {
      return tokenAnswer(current.value, Duration.between(now, current.expires).toSeconds());
    }
    if (refresh && current != null) {
      current.invalid = true;
    }
    Token t = newToken(appId, true, now);
    stableTokens.put(appId, t);
    return tokenAnswer(t.value, TOKEN_LIFETIME_SECONDS);
  }

  private ObjectNode credentials(String grantType, String appId, String secret) {
    if (!"client_credential".equals(grantType)) {
      return error(40002, "invalid grant_type");
    }
    if (appId == null || appId.isEmpty()) {
      return error(41002, "appid missing");
    }
    App app = apps.get(appId);
    if (app == null) {
      return error(40013, "invalid appid");
    }
    if (secret == null || secret.isEmpty()) {
      return error(41004, "appsecret missing");
    }
    if (!app.secret().equals(secret)) {
      return error(40125, "invalid appsecret");
    }
    return null;
  }

  private Token newToken(String appId, boolean stable, Instant now) {
    String value;
    do {
      value = (80 + random.nextInt(10)) + "_" + randomString(ID_CHARS, 133);
    } while (tokens.containsKey(value));
    Token t = new Token(value, appId, stable, now.plusSeconds(TOKEN_LIFETIME_SECONDS));
    tokens.put(value, t);
    return t;
  }

  private static ObjectNode tokenAnswer(String token, long expiresIn) {
    ObjectNode answer = JSON.createObjectNode();
    answer.put("access_token", token);
    answer.put("expires_in", expiresIn);
    return answer;
  }

  /** The app of a valid token, or the error for an absent, unknown, replaced or expired one. */
  private Object tokenApp(String value) {
    if (value == null || value.isEmpty()) {
      return error(41001, "access_token missing");
    }
    Token t = tokens.get(value);
    Instant now = Instant.now(clock);
    if (t == null
        || t.invalid
        || (t.replaced != null && !now.isBefore(t.replaced.plus(TOKEN_OVERLAP)))) {
      return error(
          40001,
          "invalid credential, access_token is invalid or not latest, could get access_token by"
              + " getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r");
    }
    if (!now.isBefore(t.expires)) {
      return error(42001, "access_token expired");
    }
    return apps.get(t.appId);
  }

  /** 45011 or -1 when one is asked for, else null. */
  private ObjectNode fault() {
    if (rateLimitsLeft > 0) {
      rateLimitsLeft--;
      return error(45011, "api minute-quota reach limit mustslower retry next minute");
    }
    if (faultsLeft > 0) {
      faultsLeft--;
      return error(-1, "system error");
    }
    return null;
  }

  // ---------------------------------------------------------------- jscode2session

  private ObjectNode code2Session(Map<String, String> query) {
    ObjectNode fault = fault();
    if (fault != null) {
      return fault;
    }
    String appId = query.get("appid");
    if (appId == null || appId.isEmpty()) {
      return error(41002, "appid missing");
    }
    App app = apps.get(appId);
    if (app == null) {
      return error(40013, "invalid appid");
    }
    String secret = query.get("secret");
    if (secret == null || secret.isEmpty()) {
      return error(41004, "appsecret missing");
    }
    if (!app.secret().equals(secret)) {
      return error(40125, "invalid appsecret");
    }
    if (!"authorization_code".equals(query.get("grant_type"))) {
      return error(40002, "invalid grant_type");
    }
    String jsCode = query.get("js_code");
    if (jsCode == null || jsCode.isEmpty()) {
      return error(41008, "missing code");
    }
    Code code = codes.get(jsCode);
    if (code == null || code.phone || !code.appId.equals(appId) || expired(code)) {
      return error(40029, "invalid code");
    }
    if (code.used) {
      return error(40163, "code been used");
    }
    code.used = true;
    byte[] key = new byte[16];
    random.nextBytes(key);
    String sessionKey = Base64.getEncoder().encodeToString(key);
    sessionKeys.put(appId + "/" + code.person.unionid(), sessionKey);
    ObjectNode answer = JSON.createObjectNode();
    answer.put("session_key", sessionKey);
    answer.put("openid", code.person.openid(appId));
    if (app.unionBound()) {
      answer.put("unionid", code.person.unionid());
    }
    return answer;
  }

  private boolean expired(Code code) {
    return !Instant.now(clock).isBefore(code.issued.plus(CODE_LIFETIME));
  }

  // ---------------------------------------------------------------- getuserphonenumber

  private ObjectNode phoneNumber(String method, Map<String, String> query, byte[] body) {
    if (!"POST".equals(method)) {
      return error(43002, "require POST method");
    }
    ObjectNode fault = fault();
    if (fault != null) {
      return fault;
    }
    Object app = tokenApp(query.get("access_token"));
    if (app instanceof ObjectNode refused) {
      return refused;
    }
    String appId = ((App) app).appId();
    JsonNode request = parseJson(body);
    if (request == null || !request.isObject()) {
      return error(47001, "data format error");
    }
    String value = text(request.get("code"));
    if (value == null || value.isEmpty()) {
      return error(41008, "missing code");
    }
    Code code = codes.get(value);
    if (code == null || !code.phone || !code.appId.equals(appId) || code.used || expired(code)) {
      return error(40029, "invalid code");
    }
    code.used = true;
    String[] split = splitPhone(code.person.phone());
    ObjectNode answer = JSON.createObjectNode();
    answer.put("errcode", 0);
    answer.put("errmsg", "ok");
    ObjectNode info = answer.putObject("phone_info");
    info.put("phoneNumber", split[0].equals("86") ? split[1] : "+" + split[0] + split[1]);
    info.put("purePhoneNumber", split[1]);
    if (countryCodeAsNumber) {
      info.put("countryCode", Integer.parseInt(split[0]));
    } else {
      info.put("countryCode", split[0]);
    }
    ObjectNode watermark = info.putObject("watermark");
    watermark.put("timestamp", Instant.now(clock).getEpochSecond());
    watermark.put("appid", appId);
    return answer;
  }

  /** {country code, number without it}. */
  private static String[] splitPhone(String phone) {
    if (MAINLAND_MOBILE.matcher(phone).matches()) {
      return new String[] {"86", phone};
    }
    Matcher m = FOREIGN_PHONE.matcher(phone);
    if (m.matches()) {
      return new String[] {m.group(1), m.group(2)};
    }
    throw new IllegalArgumentException(
        "A phone is a mainland mobile (13812345678) or +<code> <number>: " + phone);
  }

  // ---------------------------------------------------------------- member cards

  /**
   * A member card (会员卡, the card API of 微信卡券) a person holds: its code under the card id, the
   * openid of the app that issued it, the points ({@code bonus}), the value of the card's first
   * custom field (set up as the level, FIELD_NAME_TYPE_LEVEL) and its status (NORMAL, or DELETE
   * once the person deleted it). Change it only through this server's methods.
   */
  public static final class Card {
    public final String appId;
    public final String cardId;
    public final String code;
    public final String openid;
    volatile int bonus;
    volatile String customFieldValue1 = "";
    volatile String status = "NORMAL";
    final List<String> bonusRecords = new ArrayList<>();

    /** The activation form as the person filled it: USER_FORM_INFO_FLAG_NAME and the like. */
    final Map<String, String> form = new LinkedHashMap<>();

    Card(String appId, String cardId, String code, String openid) {
      this.appId = appId;
      this.cardId = cardId;
      this.code = code;
      this.openid = openid;
    }

    public int bonus() {
      return bonus;
    }

    /** The level the card shows (its first custom field). */
    public String level() {
      return customFieldValue1;
    }

    public String status() {
      return status;
    }

    /** The record_bonus texts of bonus changes, oldest first, as the person's card history. */
    public synchronized List<String> bonusRecords() {
      return List.copyOf(bonusRecords);
    }
  }

  /**
   * The person takes member card {@code cardId} of {@code appId}: answers the card with a new
   * 12-digit code and {@code bonus} points. Sends no push (see {@link #userGetCard}).
   */
  public synchronized Card giveCard(String appId, String cardId, Person person, int bonus) {
    app(appId);
    String code;
    do {
      code = Long.toString(100_000_000_000L + Math.floorMod(random.nextLong(), 900_000_000_000L));
    } while (cards.containsKey(code));
    Card card = new Card(appId, cardId, code, person.openid(appId));
    card.bonus = bonus;
    cards.put(code, card);
    return card;
  }

  /**
   * The person fills the card's activation form (开卡组件): fields by WeChat's names, such as
   * USER_FORM_INFO_FLAG_NAME, USER_FORM_INFO_FLAG_MOBILE, USER_FORM_INFO_FLAG_BIRTHDAY (yyyy-MM-dd)
   * and USER_FORM_INFO_FLAG_SEX (男/女). Sends no push (see {@link #submitMemberCardUserInfo}).
   */
  public synchronized void activate(String code, Map<String, String> form) {
    Card card = card(code);
    card.form.clear();
    card.form.putAll(form);
  }

  /** The person deleted the card from their card bag. Sends no push (see {@link #userDelCard}). */
  public synchronized void deleteCard(String code) {
    card(code).status = "DELETE";
  }

  /** The card of {@code code}, or an IllegalArgumentException. */
  public synchronized Card card(String code) {
    Card card = cards.get(code);
    if (card == null) {
      throw new IllegalArgumentException("No card " + code);
    }
    return card;
  }

  /** A card API call: POST, a valid token, a JSON body; then {@code call} with the token's app. */
  private ObjectNode cardApi(
      String method,
      Map<String, String> query,
      byte[] body,
      java.util.function.BiFunction<App, JsonNode, ObjectNode> call) {
    if (!"POST".equals(method)) {
      return error(43002, "require POST method");
    }
    Object app = tokenApp(query.get("access_token"));
    if (app instanceof ObjectNode refused) {
      return refused;
    }
    JsonNode request = parseJson(body);
    if (request == null || !request.isObject()) {
      return error(47001, "data format error");
    }
    return call.apply((App) app, request);
  }

  /** {@code /card/user/getcardlist}: the person's cards of the app, of one card id if given. */
  private ObjectNode cardList(App app, JsonNode request) {
    String openid = text(request.get("openid"));
    if (openid == null || openid.isEmpty()) {
      return error(41009, "missing openid");
    }
    String cardId = text(request.get("card_id"));
    ObjectNode answer = JSON.createObjectNode();
    answer.put("errcode", 0);
    answer.put("errmsg", "ok");
    ArrayNode list = answer.putArray("card_list");
    for (Card card : cards.values()) {
      if (card.appId.equals(app.appId())
          && card.openid.equals(openid)
          && card.status.equals("NORMAL")
          && (cardId == null || cardId.isEmpty() || card.cardId.equals(cardId))) {
        ObjectNode item = list.addObject();
        item.put("code", card.code);
        item.put("card_id", card.cardId);
      }
    }
    answer.put("has_share_card", false);
    return answer;
  }

  /** The app's card of the request's card_id and code, or WeChat's error for it. */
  private Object requestedCard(App app, JsonNode request) {
    String code = text(request.get("code"));
    String cardId = text(request.get("card_id"));
    if (code == null || code.isEmpty()) {
      return error(41011, "missing card_id or code");
    }
    Card card = cards.get(code);
    if (card == null || !card.appId.equals(app.appId())) {
      return error(40056, "invalid serial code");
    }
    if (cardId == null || !card.cardId.equals(cardId)) {
      return error(40073, "invalid card id");
    }
    return card;
  }

  /** {@code /card/membercard/userinfo/get}: the holder, the points and the card's status. */
  private ObjectNode cardUserInfo(App app, JsonNode request) {
    Object found = requestedCard(app, request);
    if (found instanceof ObjectNode refused) {
      return refused;
    }
    Card card = (Card) found;
    ObjectNode answer = JSON.createObjectNode();
    answer.put("errcode", 0);
    answer.put("errmsg", "ok");
    answer.put("openid", card.openid);
    answer.put("nickname", "微信用户");
    answer.put("membership_number", card.code);
    answer.put("bonus", card.bonus);
    answer.put("sex", "UNKNOWN");
    ObjectNode info = answer.putObject("user_info");
    ArrayNode common = info.putArray("common_field_list");
    card.form.forEach(
        (name, value) -> {
          ObjectNode field = common.addObject();
          field.put("name", name);
          field.put("value", value);
        });
    info.putArray("custom_field_list");
    answer.put("user_card_status", card.status);
    answer.put("has_active", true);
    return answer;
  }

  /**
   * {@code /card/membercard/updateuser}: {@code bonus} sets the points, {@code add_bonus} adds to
   * them (both is 40000-something in WeChat's docs; here 47001), {@code record_bonus} is the
   * history line; {@code custom_field_value1} sets the level. A deleted card is 40056.
   */
  private ObjectNode cardUpdateUser(App app, JsonNode request) {
    Object found = requestedCard(app, request);
    if (found instanceof ObjectNode refused) {
      return refused;
    }
    Card card = (Card) found;
    if (!card.status.equals("NORMAL")) {
      return error(40056, "invalid serial code");
    }
    JsonNode bonus = request.get("bonus");
    JsonNode add = request.get("add_bonus");
    if ((bonus != null && !bonus.isIntegralNumber()) || (add != null && !add.isIntegralNumber())) {
      return error(47001, "data format error");
    }
    if (bonus != null && add != null) {
      return error(47001, "data format error");
    }
    if (bonus != null || add != null) {
      card.bonus = bonus != null ? bonus.intValue() : card.bonus + add.intValue();
      synchronized (card) {
        card.bonusRecords.add(Objects.toString(text(request.get("record_bonus")), ""));
      }
    }
    String level = text(request.get("custom_field_value1"));
    if (level != null) {
      card.customFieldValue1 = level;
    }
    ObjectNode answer = JSON.createObjectNode();
    answer.put("errcode", 0);
    answer.put("errmsg", "ok");
    answer.put("result_bonus", card.bonus);
    answer.put("result_balance", 0);
    answer.put("openid", card.openid);
    return answer;
  }

  // ---------------------------------------------------------------- message push

  /**
   * How the hub answered a push. {@code query} and {@code sent} are what was sent (the query
   * parameters and the body, encrypted in safe mode); {@code plain} the event before encryption
   * (null for {@link #sendRaw}); {@code status} 0 when no answer came within {@link #PUSH_TIMEOUT}.
   * It {@code counted} only as HTTP 200 with a body of exactly "success" or nothing, what WeChat
   * takes for a receipt.
   */
  public record Delivery(
      Map<String, String> query,
      String sent,
      String plain,
      int status,
      String answer,
      boolean counted) {}

  /**
   * How the hub answered a URL check: it {@code passed} as HTTP 200 with exactly {@code echostr} as
   * the body; {@code status} 0 when no answer came within {@link #PUSH_TIMEOUT}.
   */
  public record Verification(String echostr, int status, String body, boolean passed) {}

  /**
   * The URL check WeChat makes when the push URL is saved: a GET with {@code signature} (sha1 of
   * the sorted token, timestamp and nonce), {@code echostr}, {@code timestamp} and {@code nonce},
   * in the docs' order. The timestamp is the server clock's.
   */
  public Verification verifyUrl(String hookUrl, String token) throws IOException {
    Map<String, String> query = new LinkedHashMap<>();
    String echostr;
    synchronized (this) {
      String timestamp = Long.toString(Instant.now(clock).getEpochSecond());
      String nonce = nonce();
      echostr =
          Long.toString(
              1_000_000_000_000_000_000L
                  + Math.floorMod(random.nextLong(), 8_000_000_000_000_000_000L));
      query.put("signature", signature(token, timestamp, nonce));
      query.put("echostr", echostr);
      query.put("timestamp", timestamp);
      query.put("nonce", nonce);
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(withQuery(hookUrl, query)))
            .timeout(PUSH_TIMEOUT)
            .header("User-Agent", "Mozilla/4.0")
            .GET()
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
      String body = Objects.toString(response.body(), "");
      return new Verification(
          echostr,
          response.statusCode(),
          body,
          response.statusCode() == 200 && body.equals(echostr));
    } catch (HttpTimeoutException e) {
      return new Verification(echostr, 0, "", false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted checking " + hookUrl);
    }
  }

  /** {@link #push(String, String, String, String, Mode, Format, Map)} with the app's config. */
  public Delivery push(
      String hookUrl, String appId, Mode mode, Format format, Map<String, ?> fields)
      throws IOException {
    App app = app(appId);
    return push(hookUrl, appId, app.pushToken(), app.encodingAesKey(), mode, format, fields);
  }

  /**
   * Pushes an event of {@code appId} as WeChat does, signed with {@code token} and, in safe mode,
   * encrypted with {@code encodingAesKey} (pass others than the app's to test refusals).
   *
   * <p>The event is ToUserName (the app's original id), FromUserName, CreateTime (now, the same as
   * the query's timestamp), MsgType "event", then {@code fields} in their order; a field given
   * overrides these in place, a null value removes it. {@link Number} values are numbers (bare in
   * XML), everything else text (CDATA in XML).
   *
   * <p>Query: {@code signature, timestamp, nonce} in plain mode; in safe mode also {@code openid}
   * (the FromUserName), {@code encrypt_type=aes} and {@code msg_signature}, as in the docs'
   * examples. Body: the event, or in safe mode {@code ToUserName} and {@code Encrypt}.
   */
  public Delivery push(
      String hookUrl,
      String appId,
      String token,
      String encodingAesKey,
      Mode mode,
      Format format,
      Map<String, ?> fields)
      throws IOException {
    Map<String, String> query;
    String plain;
    String body;
    synchronized (this) {
      App app = app(appId);
      long timestamp = Instant.now(clock).getEpochSecond();
      String nonce = nonce();
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("ToUserName", app.originalId());
      event.put("FromUserName", null);
      event.put("CreateTime", timestamp);
      event.put("MsgType", "event");
      event.putAll(fields);
      event.values().removeIf(Objects::isNull);
      plain = eventBody(format, event);
      if (mode == Mode.PLAIN) {
        query = pushQuery(token, timestamp, nonce, null, null);
        body = plain;
      } else {
        String encrypt =
            encrypt(encodingAesKey, appId, plain, randomString(ALNUM, 16).getBytes(UTF_8));
        Object from = event.get("FromUserName");
        query = pushQuery(token, timestamp, nonce, from == null ? null : from.toString(), encrypt);
        body = envelope(format, app.originalId(), encrypt);
      }
    }
    return send(hookUrl, query, pushHeaders(format), body.getBytes(UTF_8), plain);
  }

  /**
   * The person got a member card ({@value #USER_GET_CARD}) in {@code appId}, with the documented
   * fields: CardId, IsGiveByFriend 0, UserCardCode, FriendUserName "", OuterId 0, OldUserCardCode
   * "", OuterStr "", IsRestoreMemberCard 0, and UnionId when the app is bound.
   */
  public Delivery userGetCard(
      String hookUrl,
      String appId,
      Person person,
      String cardId,
      String code,
      Mode mode,
      Format format)
      throws IOException {
    return userGetCard(hookUrl, appId, person, cardId, code, mode, format, Map.of());
  }

  /**
   * {@value #USER_GET_CARD} with some fields changed, such as {@code IsGiveByFriend: 1} with a
   * {@code FriendUserName}, {@code OuterStr}, or {@code IsRestoreMemberCard: 1}.
   */
  public Delivery userGetCard(
      String hookUrl,
      String appId,
      Person person,
      String cardId,
      String code,
      Mode mode,
      Format format,
      Map<String, ?> changes)
      throws IOException {
    App app = app(appId);
    Map<String, Object> fields = cardFields(appId, person, USER_GET_CARD, cardId);
    fields.put("IsGiveByFriend", 0);
    fields.put("UserCardCode", code);
    fields.put("FriendUserName", "");
    fields.put("OuterId", 0);
    fields.put("OldUserCardCode", "");
    fields.put("OuterStr", "");
    fields.put("IsRestoreMemberCard", 0);
    fields.put("UnionId", app.unionBound() ? person.unionid() : null);
    fields.putAll(changes);
    return push(hookUrl, appId, mode, format, fields);
  }

  /** The person deleted the member card ({@value #USER_DEL_CARD}): CardId, UserCardCode. */
  public Delivery userDelCard(
      String hookUrl,
      String appId,
      Person person,
      String cardId,
      String code,
      Mode mode,
      Format format)
      throws IOException {
    Map<String, Object> fields = cardFields(appId, person, USER_DEL_CARD, cardId);
    fields.put("UserCardCode", code);
    return push(hookUrl, appId, mode, format, fields);
  }

  /**
   * The person submitted the member card's activation form ({@value #SUBMIT_MEMBERCARD_USER_INFO}):
   * CardId, UserCardCode.
   */
  public Delivery submitMemberCardUserInfo(
      String hookUrl,
      String appId,
      Person person,
      String cardId,
      String code,
      Mode mode,
      Format format)
      throws IOException {
    Map<String, Object> fields = cardFields(appId, person, SUBMIT_MEMBERCARD_USER_INFO, cardId);
    fields.put("UserCardCode", code);
    return push(hookUrl, appId, mode, format, fields);
  }

  private static Map<String, Object> cardFields(
      String appId, Person person, String event, String cardId) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("FromUserName", person.openid(appId));
    fields.put("Event", event);
    fields.put("CardId", cardId);
    return fields;
  }

  /**
   * POSTs exactly this query (appended to any the URL has), headers and body, for tampered
   * signatures, stale timestamps, XXE payloads and oversized bodies. Null query values and headers
   * are skipped, and so are the headers java.net.http sets itself (Content-Length, Host...). Waits
   * {@link #PUSH_TIMEOUT} like a push.
   */
  public Delivery sendRaw(
      String hookUrl, Map<String, String> query, Map<String, String> headers, byte[] body)
      throws IOException {
    return send(hookUrl, query, headers, body, null);
  }

  /** {@link #sendRaw(String, Map, Map, byte[])} with a UTF-8 body. */
  public Delivery sendRaw(
      String hookUrl, Map<String, String> query, Map<String, String> headers, String body)
      throws IOException {
    return send(hookUrl, query, headers, body.getBytes(UTF_8), null);
  }

  private Delivery send(
      String hookUrl,
      Map<String, String> query,
      Map<String, String> headers,
      byte[] body,
      String plain)
      throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(withQuery(hookUrl, query)))
            .timeout(PUSH_TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(
        (name, value) -> {
          if (value != null && !RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            request.header(name, value);
          }
        });
    Map<String, String> sentQuery = new LinkedHashMap<>(query);
    sentQuery.values().removeIf(Objects::isNull);
    String sent = new String(body, UTF_8);
    Delivery delivery;
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
      String answer = Objects.toString(response.body(), "");
      boolean counted =
          response.statusCode() == 200 && (answer.isEmpty() || answer.equals("success"));
      delivery =
          new Delivery(
              Collections.unmodifiableMap(sentQuery),
              sent,
              plain,
              response.statusCode(),
              answer,
              counted);
    } catch (HttpTimeoutException e) {
      delivery = new Delivery(Collections.unmodifiableMap(sentQuery), sent, plain, 0, "", false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted pushing to " + hookUrl);
    }
    synchronized (deliveries) {
      deliveries.add(delivery);
    }
    return delivery;
  }

  private static String withQuery(String url, Map<String, String> query) {
    StringBuilder s = new StringBuilder(url);
    char separator = url.contains("?") ? '&' : '?';
    for (Map.Entry<String, String> e : query.entrySet()) {
      if (e.getValue() != null) {
        s.append(separator)
            .append(URLEncoder.encode(e.getKey(), UTF_8))
            .append('=')
            .append(URLEncoder.encode(e.getValue(), UTF_8));
        separator = '&';
      }
    }
    return s.toString();
  }

  /** A nonce as WeChat's: a decimal number of up to ten digits. */
  private String nonce() {
    return Integer.toString(100_000_000 + random.nextInt(Integer.MAX_VALUE - 100_000_000));
  }

  // ---------------------------------------------------------------- push formats, public

  /**
   * The query of a push: {@code signature, timestamp, nonce}, and when {@code encrypt} is not null
   * (safe mode) {@code openid} (when not null), {@code encrypt_type=aes} and {@code msg_signature}
   * over token, timestamp, nonce and {@code encrypt}.
   */
  public static Map<String, String> pushQuery(
      String token, long timestamp, String nonce, String openid, String encrypt) {
    String ts = Long.toString(timestamp);
    Map<String, String> query = new LinkedHashMap<>();
    query.put("signature", signature(token, ts, nonce));
    query.put("timestamp", ts);
    query.put("nonce", nonce);
    if (encrypt != null) {
      if (openid != null) {
        query.put("openid", openid);
      }
      query.put("encrypt_type", "aes");
      query.put("msg_signature", signature(token, ts, nonce, encrypt));
    }
    return query;
  }

  /**
   * The headers of a push: Content-Type {@code text/xml} or {@code application/json} (without a
   * charset: the body is UTF-8 all the same), and a User-Agent and Accept as WeChat's.
   */
  public static Map<String, String> pushHeaders(Format format) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", format == Format.XML ? "text/xml" : "application/json");
    headers.put("User-Agent", "Mozilla/4.0");
    headers.put("Accept", "*/*");
    headers.put("Pragma", "no-cache");
    return headers;
  }

  /**
   * An event as XML ({@code <xml><Key><![CDATA[text]]></Key><Num>1</Num>...</xml>}) or as a JSON
   * object; {@link Number} values are numbers, anything else text; null values are left out.
   */
  public static String eventBody(Format format, Map<String, ?> fields) {
    if (format == Format.JSON) {
      ObjectNode event = JSON.createObjectNode();
      fields.forEach(
          (key, value) -> {
            if (value instanceof Integer || value instanceof Long) {
              event.put(key, ((Number) value).longValue());
            } else if (value instanceof Number n) {
              event.put(key, n.doubleValue());
            } else if (value != null) {
              event.put(key, value.toString());
            }
          });
      return event.toString();
    }
    StringBuilder xml = new StringBuilder("<xml>");
    fields.forEach(
        (key, value) -> {
          if (value instanceof Number) {
            xml.append('<').append(key).append('>').append(value);
            xml.append("</").append(key).append('>');
          } else if (value != null) {
            xml.append('<').append(key).append('>').append(cdata(value.toString()));
            xml.append("</").append(key).append('>');
          }
        });
    return xml.append("</xml>").toString();
  }

  /** The safe-mode body: ToUserName and Encrypt, as XML or JSON. */
  public static String envelope(Format format, String toUserName, String encrypt) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("ToUserName", toUserName);
    fields.put("Encrypt", encrypt);
    return eventBody(format, fields);
  }

  private static String cdata(String text) {
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>";
  }

  // ---------------------------------------------------------------- WXBizMsgCrypt

  /** A decrypted message and the app id it carried. */
  public record Decrypted(String message, String appId) {}

  /**
   * WeChat's signatures: lowercase hex SHA-1 of the parts sorted as strings and joined without a
   * separator; {@code signature(token, timestamp, nonce)} for the URL check and the {@code
   * signature} parameter, {@code signature(token, timestamp, nonce, encrypt)} for {@code
   * msg_signature}.
   */
  public static String signature(String... parts) {
    String[] sorted = parts.clone();
    Arrays.sort(sorted);
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(sha1.digest(String.join("", sorted).getBytes(UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Encrypts as WeChat's safe mode does, with 16 random letters and digits in front. */
  public static String encrypt(String encodingAesKey, String appId, String plain) {
    byte[] random16 = new byte[16];
    for (int i = 0; i < 16; i++) {
      random16[i] = (byte) ALNUM.charAt(SECURE.nextInt(ALNUM.length()));
    }
    return encrypt(encodingAesKey, appId, plain, random16);
  }

  /**
   * Encrypts as WXBizMsgCrypt: AES-256-CBC with key Base64(EncodingAESKey + "=") and the key's
   * first 16 bytes as IV, over random16 + 4-byte big-endian length of the UTF-8 message + message +
   * appId, PKCS#7-padded by hand to a multiple of 32 bytes; answers it in Base64.
   */
  public static String encrypt(String encodingAesKey, String appId, String plain, byte[] random16) {
    if (random16.length != 16) {
      throw new IllegalArgumentException("16 random bytes, not " + random16.length);
    }
    byte[] key = aesKey(encodingAesKey);
    byte[] msg = plain.getBytes(UTF_8);
    byte[] app = appId.getBytes(UTF_8);
    int length = 16 + 4 + msg.length + app.length;
    int pad = 32 - length % 32;
    ByteBuffer full = ByteBuffer.allocate(length + pad);
    full.put(random16).putInt(msg.length).put(msg).put(app);
    while (full.hasRemaining()) {
      full.put((byte) pad);
    }
    return Base64.getEncoder().encodeToString(aes(Cipher.ENCRYPT_MODE, key, full.array()));
  }

  /**
   * Decrypts an {@code Encrypt} value and checks that it carries {@code appId}; an
   * IllegalArgumentException when it cannot be decrypted or is from another app.
   */
  public static String decrypt(String encodingAesKey, String appId, String encrypt) {
    Decrypted d = decrypt(encodingAesKey, encrypt);
    if (!d.appId().equals(appId)) {
      throw new IllegalArgumentException("Encrypted for " + d.appId() + ", not " + appId);
    }
    return d.message();
  }

  /** Decrypts an {@code Encrypt} value; an IllegalArgumentException when it cannot. */
  public static Decrypted decrypt(String encodingAesKey, String encrypt) {
    byte[] key = aesKey(encodingAesKey);
    byte[] cipherText;
    try {
      cipherText = Base64.getDecoder().decode(encrypt);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Encrypt is not Base64", e);
    }
    if (cipherText.length == 0 || cipherText.length % 32 != 0) {
      throw new IllegalArgumentException("Encrypt is not whole 32-byte blocks");
    }
    byte[] full = aes(Cipher.DECRYPT_MODE, key, cipherText);
    int pad = full[full.length - 1] & 0xff;
    if (pad < 1 || pad > 32) {
      throw new IllegalArgumentException("Bad padding " + pad);
    }
    for (int i = full.length - pad; i < full.length; i++) {
      if ((full[i] & 0xff) != pad) {
        throw new IllegalArgumentException("Bad padding");
      }
    }
    int end = full.length - pad;
    if (end < 20) {
      throw new IllegalArgumentException("Too short");
    }
    int length = ByteBuffer.wrap(full, 16, 4).getInt();
    if (length < 0 || 20 + length > end) {
      throw new IllegalArgumentException("Bad message length " + length);
    }
    return new Decrypted(
        new String(full, 20, length, UTF_8),
        new String(full, 20 + length, end - 20 - length, UTF_8));
  }

  private static byte[] aesKey(String encodingAesKey) {
    if (encodingAesKey == null || !ENCODING_AES_KEY.matcher(encodingAesKey).matches()) {
      throw new IllegalArgumentException("An EncodingAESKey is 43 letters or digits");
    }
    return Base64.getDecoder().decode(encodingAesKey + "=");
  }

  private static byte[] aes(int mode, byte[] key, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
      cipher.init(
          mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(Arrays.copyOfRange(key, 0, 16)));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- randomness and hashes

  private String randomString(String alphabet, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  private String randomHex(int length) {
    return randomString("0123456789abcdef", length);
  }

  private static String alnum(byte[] bytes, int from, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(ALNUM.charAt((bytes[(from + i) % bytes.length] & 0xff) % ALNUM.length()));
    }
    return s.toString();
  }

  private static byte[] sha256(String text) {
    return digest("SHA-256", text);
  }

  private static byte[] sha512(String text) {
    return digest("SHA-512", text);
  }

  private static byte[] digest(String algorithm, String text) {
    try {
      return MessageDigest.getInstance(algorithm).digest(text.getBytes(UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
