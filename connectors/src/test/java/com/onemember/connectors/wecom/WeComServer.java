package com.onemember.connectors.wecom;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.onemember.connectors.wechat.WeChatServer;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local stand-in for WeCom's (企业微信) servers as one corporation's customer-contact (客户联系) app sees
 * them, over a real socket, so that a WeCom connector is tested against the wire protocol and not
 * against mocks of our own client: the server API at {@code qyapi.weixin.qq.com} that the hub
 * calls, and the callbacks (回调) that WeCom sends to the hub.
 *
 * <p>The server API, at {@link #baseUrl()} in place of {@code https://qyapi.weixin.qq.com}:
 *
 * <ul>
 *   <li>Every answer is HTTP 200 with {@code errcode} and {@code errmsg}; an error's errmsg ends as
 *       WeCom's do ({@code "invalid access_token, hint: [1733472000123456789012345], from ip:
 *       127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e=40014"}), so a
 *       client has to go by errcode. Where WeCom's English errmsg is not known, the Chinese text of
 *       its global error code table is used.
 *   <li>{@code GET /cgi-bin/gettoken?corpid=&corpsecret=}: the same token while it is valid, a new
 *       one after it expired (42001) or was invalidated (40014); 40013 for another corp id, 40001
 *       for a wrong secret, 41002/41004 when one is missing.
 *   <li>{@code GET /cgi-bin/externalcontact/get_follow_user_list}: the staff still employed.
 *   <li>{@code POST /cgi-bin/externalcontact/batch/get_by_user}: up to 100 userids (40058 beyond),
 *       {@code limit} default 50 and capped at 100 as the docs say; paged with {@code cursor} over
 *       the (userid, customer) pairs in the order of the userid list, then the order the
 *       relationships were formed; {@code next_cursor} is "" on the last page. An unknown or
 *       departed userid is 60111. {@code unionid} only for WeChat users (type 1) and only while the
 *       corp is bound to an open platform account ({@link #setUnionidBound}).
 *   <li>{@code GET externalcontact/get?external_userid=}: the customer and the employed staff who
 *       follow them, with their tags' names.
 *   <li>{@code POST get_corp_tag_list}, {@code add_corp_tag}, {@code mark_tag}: corporate tags in
 *       groups; an unknown tag is 40068 ({@code "invalid tagid: et..."}), a customer who is not the
 *       staff member's is 84061, an unknown one 40096.
 *   <li>离职继承: {@code get_unassigned_list}, {@code resigned/transfer_customer} (one errcode per
 *       customer, 0 meaning "the transfer has started") and {@code resigned/transfer_result}
 *       (status 1 done, 2 waiting, 3 refused by the customer, 4 takeover's limit reached). WeCom
 *       completes a transfer after 24 h; here at once unless {@link #setTransferDelay} says
 *       otherwise, judged on the server's clock.
 *   <li>{@link #rateLimitNext} (45009) and {@link #failNext} (-1) hit the externalcontact APIs, not
 *       gettoken, and change nothing, so a retry can succeed.
 * </ul>
 *
 * <p>Callbacks to the hub's URL, always in safe mode as WeCom sends them, with WeCom's published
 * test vectors checked in {@code WeComServerTest}: the URL check ({@link #verifyUrl}, a GET whose
 * {@code echostr} is encrypted and must be answered decrypted, within 1 s), and POSTs of {@code
 * <xml><ToUserName/><Encrypt/><AgentID/></xml>} signed by {@code msg_signature}, carrying events of
 * {@code change_external_contact}, {@code change_external_tag} and {@code change_contact}. A
 * callback waits 5 s for the answer and counts when answered with HTTP 200 (WeCom's receipt; the
 * body does not matter); otherwise it is sent again, {@value #CALLBACK_RETRIES} more times at most
 * ({@link #setCallbackRetries}). WeCom does not call back for what was done through the API, so
 * this stand-in sends a callback only when asked to ({@link #sendAddExternalContact} and the like),
 * after the test data has been changed. The crypto helpers ({@link #signature}, {@link #encrypt},
 * {@link #decrypt}) are {@link WeChatServer}'s (WeCom's callbacks use WXBizMsgCrypt too, the corp
 * id as receiver): written independently of the connector's, so that each checks the other.
 *
 * <p>Choices where WeCom's behaviour is not documented, made so that a careless client fails here:
 * gettoken answers {@code expires_in: 7200} even when it hands out a token issued earlier (which
 * still expires 7200 s after it was issued); a cursor is good only for the request it was issued
 * for (50100 otherwise); a customer who deleted the staff member ({@code del_follow_user}) stays in
 * the staff member's list, as WeCom users report; list APIs answer errors with their list empty (as
 * {@code get_follow_user_list} is seen to); a JSON value of the wrong type is ignored and the error
 * then says "Warning: wrong json format.", as the docs describe; a transfer that completes gives
 * the takeover a relationship with {@code add_way} 202 (管理员/负责人分配) and the handover's remark,
 * description, tags and mobiles.
 *
 * <p>All state is guarded by this object's lock; each API request is answered under it. Callbacks
 * are sent without holding it, so a receiver may call the API back while it handles one.
 */
public final class WeComServer implements AutoCloseable {

  /** Seconds an access token is valid, WeCom's {@code expires_in}. */
  public static final int TOKEN_LIFETIME_SECONDS = 7200;

  /** How long a callback waits for the hub's answer before WeCom gives up on it. */
  public static final Duration CALLBACK_TIMEOUT = Duration.ofSeconds(5);

  /** How long the URL check waits: the docs ask for an answer within one second. */
  public static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(1);

  /** How many more times a callback that did not count is sent ("总共重试三次"). */
  public static final int CALLBACK_RETRIES = 3;

  /** How long WeCom takes to complete a transfer of a departed member's customer. */
  public static final Duration TRANSFER_DELAY = Duration.ofHours(24);

  public static final int MAX_USERIDS = 100;
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 100;
  public static final int MAX_TRANSFER = 100;

  /** Page size of get_unassigned_list (its maximum and default) and of transfer_result. */
  public static final int MAX_PAGE = 1000;

  public static final int MAX_CORP_TAGS = 3000;

  /** External contact types. */
  public static final int WECHAT_USER = 1;

  public static final int WECOM_USER = 2;

  /** add_way values used here: scanned the staff member's QR code; assigned by the admin. */
  public static final int ADD_WAY_QR_CODE = 1;

  public static final int ADD_WAY_ASSIGNED = 202;

  /** Transfer statuses of transfer_result. */
  public static final int TRANSFER_DONE = 1;

  public static final int TRANSFER_WAITING = 2;
  public static final int TRANSFER_REFUSED = 3;
  public static final int TRANSFER_LIMIT_REACHED = 4;

  public static final String CHANGE_EXTERNAL_CONTACT = "change_external_contact";
  public static final String CHANGE_EXTERNAL_TAG = "change_external_tag";
  public static final String CHANGE_CONTACT = "change_contact";
  public static final String ADD_EXTERNAL_CONTACT = "add_external_contact";
  public static final String EDIT_EXTERNAL_CONTACT = "edit_external_contact";
  public static final String DEL_EXTERNAL_CONTACT = "del_external_contact";
  public static final String DEL_FOLLOW_USER = "del_follow_user";
  public static final String TRANSFER_FAIL = "transfer_fail";
  public static final String DELETE_USER = "delete_user";

  /** transfer_fail reasons. */
  public static final String CUSTOMER_REFUSED = "customer_refused";

  public static final String CUSTOMER_LIMIT_EXCEED = "customer_limit_exceed";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String API_JSON = "application/json; charset=UTF-8";
  private static final String SOURCE_IP = "127.0.0.1";
  private static final Pattern CORP_ID = Pattern.compile("w[wx][0-9a-f]{16}");
  private static final Pattern USERID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern UNIONID = Pattern.compile("o[A-Za-z0-9_-]{27}");
  private static final Pattern ENCODING_AES_KEY = Pattern.compile("[A-Za-z0-9]{43}");
  private static final Pattern MAINLAND_MOBILE = Pattern.compile("1[3-9]\\d{9}");
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

  private static final String FOLLOW_USER_LIST = "/cgi-bin/externalcontact/get_follow_user_list";
  private static final String BATCH_GET_BY_USER = "/cgi-bin/externalcontact/batch/get_by_user";
  private static final String GET_CORP_TAG_LIST = "/cgi-bin/externalcontact/get_corp_tag_list";
  private static final String ADD_CORP_TAG = "/cgi-bin/externalcontact/add_corp_tag";
  private static final String MARK_TAG = "/cgi-bin/externalcontact/mark_tag";
  private static final String UNASSIGNED_LIST = "/cgi-bin/externalcontact/get_unassigned_list";
  private static final String GET_CONTACT = "/cgi-bin/externalcontact/get";
  private static final String TRANSFER_CUSTOMER =
      "/cgi-bin/externalcontact/resigned/transfer_customer";
  private static final String TRANSFER_RESULT = "/cgi-bin/externalcontact/resigned/transfer_result";

  private final HttpServer server;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(CALLBACK_TIMEOUT)
          .build();

  private final String corpId;
  private final String secret;

  /** Six characters every id of this corp shares after its two-letter kind, as WeCom's do. */
  private final String idPrefix;

  private final Map<String, StaffState> staff = new LinkedHashMap<>();
  private final List<String> departures = new ArrayList<>();
  private final Map<String, Customer> customers = new HashMap<>();
  private final Map<String, String> customersByUnionid = new HashMap<>();
  private final Map<String, GroupState> groups = new LinkedHashMap<>();
  private final Map<String, TagState> tags = new HashMap<>();
  private final List<TransferState> transfers = new ArrayList<>();
  private final Set<String> limitedTakeovers = new HashSet<>();
  private final Map<String, Token> tokens = new HashMap<>();
  private final Map<String, PageCursor> cursors = new HashMap<>();
  private final List<String> calls = new ArrayList<>();
  private final List<Delivery> deliveries = new ArrayList<>();
  private final Random random = new Random(20241206);

  private volatile Clock clock = Clock.systemUTC();
  private Token current;
  private long sequence;
  private int tokenRequests;
  private int rateLimitsLeft;
  private int faultsLeft;
  private boolean unionidBound = true;
  private Duration transferDelay = Duration.ZERO;
  private int callbackRetries = CALLBACK_RETRIES;
  private String callbackToken;
  private String callbackAesKey;
  private String agentId = "1000002";

  /** Set while a request's body had a value of the wrong type, for the errmsg's warning. */
  private boolean wrongJson;

  /**
   * Starts the server on a free port of 127.0.0.1 for the corp {@code corpId} ("ww" + 16 hex
   * digits) whose customer-contact app has the secret {@code secret}. The callback token and
   * EncodingAESKey are derived from the corp id, the same each run; {@link #setCallbackConfig}
   * changes them.
   */
  public WeComServer(String corpId, String secret) throws IOException {
    if (corpId == null || !CORP_ID.matcher(corpId).matches()) {
      throw new IllegalArgumentException("A corp id is ww + 16 hex digits: " + corpId);
    }
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("No secret for " + corpId);
    }
    this.corpId = corpId;
    this.secret = secret;
    byte[] derived = sha512("callback|" + corpId);
    this.callbackToken = alnum(derived, 0, 32);
    this.callbackAesKey = alnum(derived, 16, 43);
    byte[] prefix = sha256("ids|" + corpId);
    StringBuilder p = new StringBuilder(6);
    for (int i = 0; i < 6; i++) {
      p.append(ID_CHARS.charAt(prefix[i] & 63));
    }
    this.idPrefix = p.toString();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** {@code http://127.0.0.1:<port>}, in place of {@code https://qyapi.weixin.qq.com}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  public String corpId() {
    return corpId;
  }

  // ---------------------------------------------------------------- what the tests see

  /** A member of the corp's staff; {@code departed} is null while employed. */
  public record Staff(String userid, String name, Instant departed) {}

  /**
   * A customer (外部联系人): one external_userid in this corp whichever staff member added them. {@code
   * type} is {@link #WECHAT_USER} or {@link #WECOM_USER}; {@code gender} 0 unknown, 1 male, 2
   * female; {@code unionid} null when unknown (always for WeCom users); {@code corpName} only for
   * WeCom users.
   */
  public record Customer(
      String externalUserid,
      String name,
      int type,
      String avatar,
      int gender,
      String unionid,
      String corpName) {}

  /**
   * A staff member's relationship with a customer, what batch/get_by_user gives as {@code
   * follow_info}. {@code createtime} is in epoch seconds; {@code state} is null unless the customer
   * came through a 「联系我」 with a state; {@code deletedByCustomer} when the customer deleted the
   * staff member (the relationship stays listed).
   */
  public record Follow(
      String userid,
      String externalUserid,
      String remark,
      String description,
      long createtime,
      List<String> tagIds,
      List<String> remarkMobiles,
      int addWay,
      String operUserid,
      String state,
      boolean deletedByCustomer) {}

  /** A corporate tag (企业标签) in its group. */
  public record CorpTag(String id, String name, String groupId, String groupName) {}

  /**
   * A transfer of a departed member's customer, as transfer_result gives it: {@code takeoverTime}
   * in epoch seconds, the future one while waiting, 0 when refused.
   */
  public record Transfer(
      String handoverUserid,
      String takeoverUserid,
      String externalUserid,
      int status,
      long takeoverTime) {}

  private static final class StaffState {
    final String userid;
    final String name;
    Instant departed;

    /** The relationships by their sequence number: the order they were formed. */
    final TreeMap<Long, FollowState> follows = new TreeMap<>();

    final Map<String, FollowState> byCustomer = new HashMap<>();

    StaffState(String userid, String name) {
      this.userid = userid;
      this.name = name;
    }

    Staff snapshot() {
      return new Staff(userid, name, departed);
    }
  }

  private static final class FollowState {
    final String userid;
    final String externalUserid;
    final long seq;
    String remark;
    String description;
    long createtime;
    final Set<String> tagIds = new LinkedHashSet<>();
    List<String> remarkMobiles;
    int addWay;
    String operUserid;
    String state;
    boolean deletedByCustomer;

    FollowState(String userid, String externalUserid, long seq) {
      this.userid = userid;
      this.externalUserid = externalUserid;
      this.seq = seq;
    }

    Follow snapshot() {
      return new Follow(
          userid,
          externalUserid,
          remark,
          description,
          createtime,
          List.copyOf(tagIds),
          List.copyOf(remarkMobiles),
          addWay,
          operUserid,
          state,
          deletedByCustomer);
    }
  }

  private static final class GroupState {
    final String id;
    final String name;
    final long createTime;
    final long order;
    final Map<String, TagState> tags = new LinkedHashMap<>();

    GroupState(String id, String name, long createTime, long order) {
      this.id = id;
      this.name = name;
      this.createTime = createTime;
      this.order = order;
    }
  }

  private record TagState(String id, String name, long createTime, long order, GroupState group) {
    CorpTag snapshot() {
      return new CorpTag(id, name, group.id, group.name);
    }
  }

  private static final class TransferState {
    final String handover;
    final String takeover;
    final String externalUserid;
    final Instant due;
    int status = TRANSFER_WAITING;
    long takeoverTime;

    TransferState(String handover, String takeover, String externalUserid, Instant due) {
      this.handover = handover;
      this.takeover = takeover;
      this.externalUserid = externalUserid;
      this.due = due;
      this.takeoverTime = due.getEpochSecond();
    }

    Transfer snapshot() {
      return new Transfer(handover, takeover, externalUserid, status, takeoverTime);
    }
  }

  /**
   * Where a page ended: the request it belongs to ({@code kind} and {@code key}), the index in the
   * list of staff it walks and the sequence number of the last relationship given.
   */
  private record PageCursor(String kind, List<String> key, int index, long lastSeq) {}

  // ---------------------------------------------------------------- staff

  /** Adds an employed staff member configured for customer contact. */
  public synchronized Staff addStaff(String userid, String name) {
    if (userid == null || !USERID.matcher(userid).matches()) {
      throw new IllegalArgumentException(
          "A userid is 1 to 64 letters, digits, '-', '_' or '.': " + userid);
    }
    if (staff.containsKey(userid)) {
      throw new IllegalArgumentException("Staff " + userid + " exists");
    }
    StaffState s = new StaffState(userid, Objects.requireNonNull(name));
    staff.put(userid, s);
    return s.snapshot();
  }

  /**
   * The staff member leaves the corp (离职), now on the server's clock: gone from
   * get_follow_user_list and batch/get_by_user (60111), their customers waiting in
   * get_unassigned_list to be transferred.
   */
  public synchronized Staff removeStaff(String userid) {
    StaffState s = activeStaff(userid);
    s.departed = Instant.now(clock);
    departures.add(userid);
    return s.snapshot();
  }

  /** The staff member, departed or not; an IllegalArgumentException for an unknown userid. */
  public synchronized Staff staff(String userid) {
    StaffState s = staff.get(userid);
    if (s == null) {
      throw new IllegalArgumentException("No staff " + userid);
    }
    return s.snapshot();
  }

  private StaffState activeStaff(String userid) {
    StaffState s = staff.get(userid);
    if (s == null || s.departed != null) {
      throw new IllegalArgumentException("No employed staff " + userid);
    }
    return s;
  }

  // ---------------------------------------------------------------- customers

  /**
   * A WeChat user scans the staff member's QR code (add_way 1) and becomes their customer, now on
   * the server's clock. A unionid already known here is the same customer (the same
   * external_userid), as in WeCom; {@code name} is then ignored.
   *
   * @param remarkMobiles mainland mobiles the staff member noted ("13812345678"), may be empty
   * @param unionid the person's unionid in the brand's open platform account, or null
   */
  public Follow addContact(
      String userid, String name, String remark, List<String> remarkMobiles, String unionid) {
    return addContact(userid, name, remark, remarkMobiles, unionid, null);
  }

  /**
   * {@link #addContact(String, String, String, List, String)} through a 「联系我」 configured with
   * {@code state} (given back in follow_info and in the add_external_contact callback).
   */
  public synchronized Follow addContact(
      String userid,
      String name,
      String remark,
      List<String> remarkMobiles,
      String unionid,
      String state) {
    StaffState s = activeStaff(userid);
    checkMobiles(remarkMobiles);
    Customer c;
    if (unionid != null && customersByUnionid.containsKey(unionid)) {
      c = customers.get(customersByUnionid.get(unionid));
    } else {
      if (unionid != null && !UNIONID.matcher(unionid).matches()) {
        throw new IllegalArgumentException("A unionid is o + 27 characters: " + unionid);
      }
      c = newCustomer(Objects.requireNonNull(name), WECHAT_USER, unionid, null, random);
    }
    return relate(s, c, remark, remarkMobiles, ADD_WAY_QR_CODE, userid, state).snapshot();
  }

  /** A WeCom user of another corp ({@code corpName}) becomes the staff member's customer. */
  public synchronized Follow addWeComContact(
      String userid, String name, String corpName, String remark) {
    StaffState s = activeStaff(userid);
    Customer c =
        newCustomer(
            Objects.requireNonNull(name),
            WECOM_USER,
            null,
            Objects.requireNonNull(corpName),
            random);
    return relate(s, c, remark, List.of(), ADD_WAY_QR_CODE, userid, null).snapshot();
  }

  /** An existing customer adds another staff member (the same external_userid). */
  public synchronized Follow addExistingCustomer(
      String userid, String externalUserid, String remark, List<String> remarkMobiles) {
    StaffState s = activeStaff(userid);
    checkMobiles(remarkMobiles);
    return relate(s, customer(externalUserid), remark, remarkMobiles, ADD_WAY_QR_CODE, userid, null)
        .snapshot();
  }

  /**
   * The staff member edits the customer's remark, description or noted mobiles; a null argument
   * leaves that field as it is.
   */
  public synchronized Follow editContact(
      String userid,
      String externalUserid,
      String remark,
      String description,
      List<String> remarkMobiles) {
    FollowState f = followState(userid, externalUserid);
    if (remark != null) {
      f.remark = remark;
    }
    if (description != null) {
      f.description = description;
    }
    if (remarkMobiles != null) {
      checkMobiles(remarkMobiles);
      f.remarkMobiles = List.copyOf(remarkMobiles);
    }
    return f.snapshot();
  }

  /** The staff member puts corporate tags on the customer in WeCom's client. */
  public synchronized Follow tagContact(String userid, String externalUserid, String... tagIds) {
    FollowState f = followState(userid, externalUserid);
    for (String id : tagIds) {
      if (!tags.containsKey(id)) {
        throw new IllegalArgumentException("No corporate tag " + id);
      }
      f.tagIds.add(id);
    }
    return f.snapshot();
  }

  /** The staff member deletes the customer (del_external_contact): the relationship is gone. */
  public synchronized void deleteContact(String userid, String externalUserid) {
    FollowState f = followState(userid, externalUserid);
    StaffState s = staff.get(userid);
    s.follows.remove(f.seq);
    s.byCustomer.remove(externalUserid);
  }

  /**
   * The customer deletes the staff member (del_follow_user). The relationship stays in the staff
   * member's list, marked, as WeCom users report it does; only the callback tells.
   */
  public synchronized Follow customerDeletesStaff(String userid, String externalUserid) {
    FollowState f = followState(userid, externalUserid);
    f.deletedByCustomer = true;
    return f.snapshot();
  }

  /** The customer, or an IllegalArgumentException. */
  public synchronized Customer customer(String externalUserid) {
    Customer c = customers.get(externalUserid);
    if (c == null) {
      throw new IllegalArgumentException("No customer " + externalUserid);
    }
    return c;
  }

  /** The staff member's relationship with the customer, or null; transfers due are settled. */
  public synchronized Follow follow(String userid, String externalUserid) {
    settleTransfers(Instant.now(clock));
    StaffState s = staff.get(userid);
    FollowState f = s == null ? null : s.byCustomer.get(externalUserid);
    return f == null ? null : f.snapshot();
  }

  /** The staff member's relationships in the order they were formed; transfers due are settled. */
  public synchronized List<Follow> follows(String userid) {
    settleTransfers(Instant.now(clock));
    StaffState s = staff.get(userid);
    if (s == null) {
      throw new IllegalArgumentException("No staff " + userid);
    }
    return s.follows.values().stream().map(FollowState::snapshot).toList();
  }

  /**
   * Adds {@code count} WeChat customers spread over the employed staff, with Chinese names, unique
   * unionids of the brand's open platform account ({@link WeChatServer#UNIONID_PREFIX}) and, for
   * about 90 %, one unique mainland mobile noted; about one in ten also added a second staff
   * member. The same for the same seed and staff; fast enough for a 100,000-customer bench. Answers
   * each customer's first relationship.
   */
  public synchronized List<Follow> generate(int count, long seed) {
    List<StaffState> employed = staff.values().stream().filter(s -> s.departed == null).toList();
    if (employed.isEmpty()) {
      throw new IllegalStateException("Add staff before generating customers");
    }
    Random r = new Random(seed);
    Set<String> mobiles = new HashSet<>();
    for (StaffState s : staff.values()) {
      s.follows.values().forEach(f -> mobiles.addAll(f.remarkMobiles));
    }
    List<Follow> added = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String unionid;
      do {
        StringBuilder id = new StringBuilder(WeChatServer.UNIONID_PREFIX);
        while (id.length() < 28) {
          id.append(ID_CHARS.charAt(r.nextInt(ID_CHARS.length())));
        }
        unionid = id.toString();
      } while (customersByUnionid.containsKey(unionid));
      String name = SURNAMES[r.nextInt(SURNAMES.length)] + GIVEN[r.nextInt(GIVEN.length)];
      if (r.nextBoolean()) {
        name += GIVEN[r.nextInt(GIVEN.length)];
      }
      List<String> noted = List.of();
      if (r.nextInt(100) < 90) {
        String mobile;
        do {
          String prefix = MOBILE_PREFIXES[r.nextInt(MOBILE_PREFIXES.length)];
          String digits = Integer.toString(r.nextInt(100_000_000));
          mobile = prefix + "0".repeat(8 - digits.length()) + digits;
        } while (!mobiles.add(mobile));
        noted = List.of(mobile);
      }
      Customer c = newCustomer(name, WECHAT_USER, unionid, null, r);
      StaffState first = employed.get(r.nextInt(employed.size()));
      FollowState f = relate(first, c, name, noted, ADD_WAY_QR_CODE, first.userid, null);
      added.add(f.snapshot());
      if (employed.size() > 1 && r.nextInt(10) == 0) {
        StaffState second = employed.get(r.nextInt(employed.size()));
        if (second != first) {
          relate(second, c, name, noted, ADD_WAY_QR_CODE, second.userid, null);
        }
      }
    }
    return added;
  }

  private Customer newCustomer(String name, int type, String unionid, String corpName, Random r) {
    String externalUserid;
    do {
      externalUserid = id(type == WECHAT_USER ? "wm" : "wo", r);
    } while (customers.containsKey(externalUserid));
    String avatar =
        type == WECHAT_USER
            ? "http://wx.qlogo.cn/mmhead/" + randomString(r, ID_CHARS, 54) + "/0"
            : "http://p.qlogo.cn/bizmail/" + randomString(r, ID_CHARS, 40) + "/0";
    Customer c = new Customer(externalUserid, name, type, avatar, r.nextInt(3), unionid, corpName);
    customers.put(externalUserid, c);
    if (unionid != null) {
      customersByUnionid.put(unionid, externalUserid);
    }
    return c;
  }

  private FollowState relate(
      StaffState s,
      Customer c,
      String remark,
      List<String> remarkMobiles,
      int addWay,
      String operUserid,
      String state) {
    if (s.byCustomer.containsKey(c.externalUserid())) {
      throw new IllegalArgumentException(s.userid + " already has customer " + c.externalUserid());
    }
    FollowState f = new FollowState(s.userid, c.externalUserid(), ++sequence);
    f.remark = Objects.toString(remark, "");
    f.description = "";
    f.createtime = Instant.now(clock).getEpochSecond();
    f.remarkMobiles = List.copyOf(remarkMobiles);
    f.addWay = addWay;
    f.operUserid = operUserid;
    f.state = state;
    s.follows.put(f.seq, f);
    s.byCustomer.put(c.externalUserid(), f);
    return f;
  }

  private FollowState followState(String userid, String externalUserid) {
    StaffState s = staff.get(userid);
    FollowState f = s == null ? null : s.byCustomer.get(externalUserid);
    if (f == null) {
      throw new IllegalArgumentException(userid + " has no customer " + externalUserid);
    }
    return f;
  }

  private static void checkMobiles(List<String> mobiles) {
    for (String m : mobiles) {
      if (!MAINLAND_MOBILE.matcher(m).matches()) {
        throw new IllegalArgumentException("A remark mobile is a mainland mobile: " + m);
      }
    }
  }

  /** An id as WeCom's: two letters of its kind, the corp's six, "AA", then 22 more. */
  private String id(String kind, Random r) {
    return kind + idPrefix + "AA" + randomString(r, ID_CHARS, 22);
  }

  // ---------------------------------------------------------------- corporate tags

  /**
   * Adds tags to the group named {@code groupName}, creating it when new (as add_corp_tag does with
   * a group_name); answers the new tags.
   */
  public synchronized List<CorpTag> addCorpTags(String groupName, String... names) {
    GroupState g = groupNamed(groupName);
    if (g == null) {
      g = new GroupState(id("et", random), groupName, Instant.now(clock).getEpochSecond(), 0);
      groups.put(g.id, g);
    }
    List<CorpTag> added = new ArrayList<>();
    for (String name : names) {
      for (TagState t : g.tags.values()) {
        if (t.name().equals(name)) {
          throw new IllegalArgumentException("Tag " + name + " exists in " + groupName);
        }
      }
      added.add(newTag(g, name, 0).snapshot());
    }
    return added;
  }

  /** Every corporate tag, group by group in the order they were created. */
  public synchronized List<CorpTag> corpTags() {
    List<CorpTag> all = new ArrayList<>();
    groups.values().forEach(g -> g.tags.values().forEach(t -> all.add(t.snapshot())));
    return all;
  }

  private GroupState groupNamed(String name) {
    for (GroupState g : groups.values()) {
      if (g.name.equals(name)) {
        return g;
      }
    }
    return null;
  }

  private TagState newTag(GroupState g, String name, long order) {
    TagState t =
        new TagState(id("et", random), name, Instant.now(clock).getEpochSecond(), order, g);
    g.tags.put(t.id(), t);
    tags.put(t.id(), t);
    return t;
  }

  // ---------------------------------------------------------------- transfers

  /**
   * How long a transfer waits (status 2) before it completes, on the server's clock: zero by
   * default, {@link #TRANSFER_DELAY} as WeCom.
   */
  public synchronized void setTransferDelay(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("A negative delay: " + delay);
    }
    transferDelay = delay;
  }

  /**
   * The customer refuses their waiting transfer (status 3, takeover_time 0): they are lost, gone
   * from the departed member's list too. WeCom then calls back transfer_fail (send it with {@link
   * #sendTransferFail}).
   */
  public synchronized Transfer refuseTransfer(String externalUserid) {
    settleTransfers(Instant.now(clock));
    TransferState t = waitingTransfer(externalUserid);
    if (t == null) {
      throw new IllegalArgumentException("No waiting transfer of " + externalUserid);
    }
    t.status = TRANSFER_REFUSED;
    t.takeoverTime = 0;
    StaffState handover = staff.get(t.handover);
    FollowState f = handover.byCustomer.remove(externalUserid);
    if (f != null) {
      handover.follows.remove(f.seq);
    }
    return t.snapshot();
  }

  /**
   * Whether the staff member has reached the limit of customers: transfers to them that complete
   * while it holds end with status 4, the customer left with the departed member.
   */
  public synchronized void takeoverLimitReached(String userid, boolean reached) {
    staff(userid);
    if (reached) {
      limitedTakeovers.add(userid);
    } else {
      limitedTakeovers.remove(userid);
    }
  }

  /** Every transfer requested so far, in the order requested; transfers due are settled. */
  public synchronized List<Transfer> transfers() {
    settleTransfers(Instant.now(clock));
    return transfers.stream().map(TransferState::snapshot).toList();
  }

  /** The customer's transfer that is waiting, or null. */
  private TransferState waitingTransfer(String externalUserid) {
    for (TransferState t : transfers) {
      if (t.externalUserid.equals(externalUserid) && t.status == TRANSFER_WAITING) {
        return t;
      }
    }
    return null;
  }

  /** Completes the waiting transfers that are due at {@code now}. */
  private void settleTransfers(Instant now) {
    for (TransferState t : transfers) {
      if (t.status != TRANSFER_WAITING || now.isBefore(t.due)) {
        continue;
      }
      StaffState handover = staff.get(t.handover);
      FollowState f = handover.byCustomer.get(t.externalUserid);
      if (f == null) { // lost meanwhile: nothing left to hand over
        t.status = TRANSFER_REFUSED;
        t.takeoverTime = 0;
        continue;
      }
      if (limitedTakeovers.contains(t.takeover)) {
        t.status = TRANSFER_LIMIT_REACHED;
        t.takeoverTime = 0;
        continue;
      }
      handover.follows.remove(f.seq);
      handover.byCustomer.remove(t.externalUserid);
      StaffState takeover = staff.get(t.takeover);
      if (!takeover.byCustomer.containsKey(t.externalUserid)) {
        FollowState moved = new FollowState(t.takeover, t.externalUserid, ++sequence);
        moved.remark = f.remark;
        moved.description = f.description;
        moved.createtime = t.due.getEpochSecond();
        moved.tagIds.addAll(f.tagIds);
        moved.remarkMobiles = f.remarkMobiles;
        moved.addWay = ADD_WAY_ASSIGNED;
        moved.operUserid = t.handover;
        takeover.follows.put(moved.seq, moved);
        takeover.byCustomer.put(t.externalUserid, moved);
      }
      t.status = TRANSFER_DONE;
      t.takeoverTime = t.due.getEpochSecond();
    }
  }

  // ---------------------------------------------------------------- settings and hooks

  /** The clock for token lifetimes, createtime, transfers, CreateTime and timestamps. */
  public void setClock(Clock clock) {
    this.clock = Objects.requireNonNull(clock);
  }

  /** Whether the corp is bound to an open platform account: only then is unionid given. */
  public synchronized void setUnionidBound(boolean bound) {
    unionidBound = bound;
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

  /** Every token issued so far stops working, as WeCom may do early: calls with one get 40014. */
  public synchronized void invalidateTokens() {
    tokens.values().forEach(t -> t.invalid = true);
  }

  /** The next {@code times} externalcontact requests get 45009 "api freq out of limit". */
  public synchronized void rateLimitNext(int times) {
    rateLimitsLeft = times;
  }

  /** The next {@code times} externalcontact requests get -1 "system busy", after rate limits. */
  public synchronized void failNext(int times) {
    faultsLeft = times;
  }

  /** Requests to {@code /cgi-bin/gettoken}, refused ones too. */
  public synchronized int tokenRequests() {
    return tokenRequests;
  }

  /** Every request as "METHOD /path", in order, refused ones too. */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /**
   * The callback Token (3 to 32 letters or digits) and EncodingAESKey (43 letters or digits) the
   * app is set up with on WeCom's side, as the hub must be configured.
   */
  public synchronized void setCallbackConfig(String token, String encodingAesKey) {
    aesKey(encodingAesKey);
    callbackToken = Objects.requireNonNull(token);
    callbackAesKey = encodingAesKey;
  }

  public synchronized String callbackToken() {
    return callbackToken;
  }

  public synchronized String callbackAesKey() {
    return callbackAesKey;
  }

  /** The AgentID of the callbacks' envelope ("1000002" by default), or null to leave it out. */
  public synchronized void setAgentId(String agentId) {
    this.agentId = agentId;
  }

  /** How many more times a callback that did not count is sent; {@value #CALLBACK_RETRIES}. */
  public synchronized void setCallbackRetries(int retries) {
    if (retries < 0) {
      throw new IllegalArgumentException("Negative retries: " + retries);
    }
    callbackRetries = retries;
  }

  /** Every callback attempt so far (retries and {@link #sendRaw} too), as answered. */
  public List<Delivery> deliveries() {
    synchronized (deliveries) {
      return List.copyOf(deliveries);
    }
  }

  // ---------------------------------------------------------------- HTTP

  private record Reply(int status, String contentType, String body) {}

  private static final class Token {
    final String value;
    Instant expires;
    boolean invalid;

    Token(String value, Instant expires) {
      this.value = value;
      this.expires = expires;
    }
  }

  /** An error answer, thrown from deep in a request's handling. */
  private static final class Refusal extends RuntimeException {
    final transient ObjectNode answer;

    Refusal(ObjectNode answer) {
      super(null, null, false, false);
      this.answer = answer;
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    Reply reply;
    try {
      reply = reply(exchange.getRequestMethod(), exchange.getRequestURI(), body);
    } catch (RuntimeException e) { // a bug here: say so instead of dropping the connection
      reply = new Reply(500, "text/plain;charset=UTF-8", "WeComServer failed: " + e);
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
    settleTransfers(Instant.now(clock));
    wrongJson = false;
    ObjectNode answer =
        switch (path) {
          case "/cgi-bin/gettoken" -> token(query);
          case FOLLOW_USER_LIST -> api(method, query, body, false, "follow_user", r -> followers());
          case BATCH_GET_BY_USER ->
              api(method, query, body, true, "external_contact_list", this::batchGetByUser);
          case GET_CORP_TAG_LIST -> api(method, query, body, true, "tag_group", this::corpTagList);
          case ADD_CORP_TAG -> api(method, query, body, true, null, this::addCorpTag);
          case MARK_TAG -> api(method, query, body, true, null, this::markTag);
          case UNASSIGNED_LIST -> api(method, query, body, true, "info", this::unassignedList);
          case GET_CONTACT ->
              api(method, query, body, false, null, r -> contact(query.get("external_userid")));
          case TRANSFER_CUSTOMER -> api(method, query, body, true, null, this::transferCustomer);
          case TRANSFER_RESULT -> api(method, query, body, true, "customer", this::transferResult);
          default -> null;
        };
    if (answer == null) {
      return new Reply(
          404,
          "text/html",
          "<html><head><title>404 Not Found</title></head><body>404 Not Found</body></html>");
    }
    return new Reply(200, API_JSON, answer.toString());
  }

  /**
   * An externalcontact API: faults first (they change nothing), then the token, the method and the
   * body; an error answer carries the API's list field empty.
   */
  private ObjectNode api(
      String method,
      Map<String, String> query,
      byte[] body,
      boolean post,
      String listField,
      Function<JsonNode, ObjectNode> handler) {
    try {
      ObjectNode fault = fault();
      if (fault != null) {
        throw new Refusal(fault);
      }
      checkToken(query.get("access_token"));
      if (post && !"POST".equals(method)) {
        throw refusal(40063, "参数为空");
      }
      return handler.apply(post ? parseBody(body) : JSON.createObjectNode());
    } catch (Refusal r) {
      if (listField != null) {
        r.answer.putArray(listField);
      }
      return r.answer;
    }
  }

  private ObjectNode ok() {
    ObjectNode answer = JSON.createObjectNode();
    answer.put("errcode", 0);
    answer.put("errmsg", "ok");
    return answer;
  }

  private ObjectNode error(int code, String message) {
    ObjectNode answer = JSON.createObjectNode();
    answer.put("errcode", code);
    answer.put(
        "errmsg",
        message
            + (wrongJson ? " Warning: wrong json format." : "")
            + ", hint: ["
            + hint()
            + "], from ip: "
            + SOURCE_IP
            + ", more info at https://open.work.weixin.qq.com/devtool/query?e="
            + code);
    return answer;
  }

  private Refusal refusal(int code, String message) {
    return new Refusal(error(code, message));
  }

  private Refusal missing(String field) {
    return refusal(40058, "missing field `" + field + "`. invalid Request Parameter");
  }

  /** WeCom's hint: epoch seconds and 15 more digits. */
  private String hint() {
    StringBuilder h = new StringBuilder(Long.toString(Instant.now(clock).getEpochSecond()));
    for (int i = 0; i < 15; i++) {
      h.append((char) ('0' + random.nextInt(10)));
    }
    return h.toString();
  }

  /** 45009 or -1 when one is asked for, else null. */
  private ObjectNode fault() {
    if (rateLimitsLeft > 0) {
      rateLimitsLeft--;
      return error(45009, "api freq out of limit");
    }
    if (faultsLeft > 0) {
      faultsLeft--;
      return error(-1, "system busy");
    }
    return null;
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

  /** The request's JSON object; an empty body is {}, anything else not an object is {} too. */
  private JsonNode parseBody(byte[] body) {
    if (body.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null && node.isObject()) {
        return node;
      }
    } catch (JacksonException e) {
      // as WeCom: what could not be read is missing, and the errmsg says why
    }
    wrongJson = true;
    return JSON.createObjectNode();
  }

  /** A string field, null when absent or null; of another type it is ignored with a warning. */
  private String string(JsonNode request, String field) {
    JsonNode node = request.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isString()) {
      wrongJson = true;
      return null;
    }
    return node.asString();
  }

  /** An array of strings, null when absent; of another type it is ignored with a warning. */
  private List<String> strings(JsonNode request, String field) {
    JsonNode node = request.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    List<String> values = new ArrayList<>();
    if (node.isArray()) {
      for (JsonNode item : node) {
        if (!item.isString()) {
          wrongJson = true;
          return null;
        }
        values.add(item.asString());
      }
      return values;
    }
    wrongJson = true;
    return null;
  }

  /**
   * An integer field, {@code absent} when missing; of another type it is ignored with a warning.
   */
  private long integer(JsonNode request, String field, long absent) {
    JsonNode node = request.get(field);
    if (node == null || node.isNull()) {
      return absent;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      wrongJson = true;
      return absent;
    }
    return node.asLong();
  }

  // ---------------------------------------------------------------- tokens

  private ObjectNode token(Map<String, String> query) {
    tokenRequests++;
    String corp = query.get("corpid");
    if (corp == null || corp.isEmpty()) {
      return error(41002, "corpid missing");
    }
    if (!corp.equals(corpId)) {
      return error(40013, "invalid corpid");
    }
    String given = query.get("corpsecret");
    if (given == null || given.isEmpty()) {
      return error(41004, "corpsecret missing");
    }
    if (!given.equals(secret)) {
      return error(40001, "invalid credential");
    }
    Instant now = Instant.now(clock);
    if (current == null || current.invalid || !now.isBefore(current.expires)) {
      String value;
      do {
        value = randomString(random, ID_CHARS, 214);
      } while (tokens.containsKey(value));
      current = new Token(value, now.plusSeconds(TOKEN_LIFETIME_SECONDS));
      tokens.put(value, current);
    }
    ObjectNode answer = ok();
    answer.put("access_token", current.value);
    answer.put("expires_in", TOKEN_LIFETIME_SECONDS);
    return answer;
  }

  private void checkToken(String value) {
    if (value == null || value.isEmpty()) {
      throw refusal(41001, "access_token missing");
    }
    Token t = tokens.get(value);
    if (t == null || t.invalid) {
      throw refusal(40014, "invalid access_token");
    }
    if (!Instant.now(clock).isBefore(t.expires)) {
      throw refusal(42001, "access_token expired");
    }
  }

  // ---------------------------------------------------------------- customers' API

  private ObjectNode followers() {
    ObjectNode answer = ok();
    ArrayNode list = answer.putArray("follow_user");
    staff.values().stream().filter(s -> s.departed == null).forEach(s -> list.add(s.userid));
    return answer;
  }

  private ObjectNode batchGetByUser(JsonNode request) {
    List<String> given = strings(request, "userid_list");
    if (given == null || given.isEmpty()) {
      throw missing("userid_list");
    }
    if (given.size() > MAX_USERIDS) {
      throw refusal(
          40058,
          "field `userid_list` exceed max length " + MAX_USERIDS + ". invalid Request Parameter");
    }
    List<String> userids = List.copyOf(new LinkedHashSet<>(given));
    for (String userid : userids) {
      StaffState s = staff.get(userid);
      if (s == null || s.departed != null) {
        throw refusal(60111, "invalid string value `" + userid + "`. userid not found");
      }
    }
    long limit = integer(request, "limit", DEFAULT_LIMIT);
    if (limit < 0) {
      throw refusal(40058, "field `limit` invalid. invalid Request Parameter");
    }
    int pageSize = (int) (limit == 0 ? DEFAULT_LIMIT : Math.min(limit, MAX_LIMIT));
    PageCursor from = cursor(request, BATCH_GET_BY_USER, userids);

    List<StaffState> walked = userids.stream().map(staff::get).toList();
    ObjectNode answer = ok();
    ArrayNode list = answer.putArray("external_contact_list");
    PageCursor end = page(walked, from, pageSize, f -> true, f -> list.add(contactEntry(f)));
    answer.put("next_cursor", issue(end, BATCH_GET_BY_USER, userids));
    return answer;
  }

  /**
   * Walks the relationships of {@code walked} that {@code shown} accepts, from just after {@code
   * from} (or the start), giving at most {@code size}; answers where the page ended, or null when
   * nothing is left after it.
   */
  private static PageCursor page(
      List<StaffState> walked,
      PageCursor from,
      int size,
      Predicate<FollowState> shown,
      Consumer<FollowState> give) {
    int index = from == null ? 0 : from.index();
    long after = from == null ? -1 : from.lastSeq();
    int given = 0;
    int lastIndex = index;
    long lastSeq = after;
    for (int i = index; i < walked.size() && given < size; i++) {
      for (FollowState f : walked.get(i).follows.tailMap(i == index ? after : -1, false).values()) {
        if (given == size) {
          break;
        }
        if (shown.test(f)) {
          give.accept(f);
          given++;
          lastIndex = i;
          lastSeq = f.seq;
        }
      }
    }
    if (given < size) {
      return null;
    }
    for (int i = lastIndex; i < walked.size(); i++) {
      for (FollowState f :
          walked.get(i).follows.tailMap(i == lastIndex ? lastSeq : -1, false).values()) {
        if (shown.test(f)) {
          return new PageCursor(null, null, lastIndex, lastSeq);
        }
      }
    }
    return null;
  }

  /** The cursor given in {@code request}, null for the first page; 50100 when not ours. */
  private PageCursor cursor(JsonNode request, String kind, List<String> key) {
    String value = string(request, "cursor");
    if (value == null || value.isEmpty()) {
      return null;
    }
    PageCursor c = cursors.get(value);
    if (c == null || !c.kind().equals(kind) || !c.key().equals(key)) {
      throw refusal(50100, "分页查询的游标无效");
    }
    return c;
  }

  /** A new cursor for the page that ended at {@code end}, or "" when it was the last. */
  private String issue(PageCursor end, String kind, List<String> key) {
    if (end == null) {
      return "";
    }
    String value;
    do {
      value = randomString(random, ALNUM, 22);
    } while (cursors.containsKey(value));
    cursors.put(value, new PageCursor(kind, key, end.index(), end.lastSeq()));
    return value;
  }

  private ObjectNode contactEntry(FollowState f) {
    Customer c = customers.get(f.externalUserid);
    ObjectNode entry = JSON.createObjectNode();
    ObjectNode contact = entry.putObject("external_contact");
    contact.put("external_userid", c.externalUserid());
    contact.put("name", c.name());
    contact.put("avatar", c.avatar());
    if (c.type() == WECOM_USER) {
      contact.put("corp_name", c.corpName());
      contact.put("corp_full_name", c.corpName() + "有限公司");
    }
    contact.put("type", c.type());
    contact.put("gender", c.gender());
    if (c.type() == WECHAT_USER && unionidBound && c.unionid() != null) {
      contact.put("unionid", c.unionid());
    }
    ObjectNode info = entry.putObject("follow_info");
    info.put("userid", f.userid);
    info.put("remark", f.remark);
    info.put("description", f.description);
    info.put("createtime", f.createtime);
    ArrayNode tagIds = info.putArray("tag_id");
    f.tagIds.forEach(tagIds::add);
    ArrayNode mobiles = info.putArray("remark_mobiles");
    f.remarkMobiles.forEach(mobiles::add);
    info.put("add_way", f.addWay);
    info.put("oper_userid", f.operUserid);
    if (f.state != null) {
      info.put("state", f.state);
    }
    return entry;
  }

  /**
   * {@code GET externalcontact/get}: one customer and every employed staff member who follows them,
   * each with the names of their tags (which batch/get_by_user gives as ids only); 40096 for an
   * unknown customer, 84061 when no staff member follows them any more.
   */
  private ObjectNode contact(String externalUserid) {
    if (externalUserid == null || externalUserid.isEmpty()) {
      throw missing("external_userid");
    }
    if (!customers.containsKey(externalUserid)) {
      throw refusal(40096, "不合法的外部联系人userid");
    }
    List<FollowState> follows =
        staff.values().stream()
            .filter(s -> s.departed == null)
            .map(s -> s.byCustomer.get(externalUserid))
            .filter(Objects::nonNull)
            .sorted(Comparator.comparingLong((FollowState f) -> f.seq))
            .toList();
    if (follows.isEmpty()) {
      throw refusal(84061, "不存在外部联系人的关系");
    }
    ObjectNode answer = ok();
    answer.set("external_contact", contactEntry(follows.get(0)).get("external_contact"));
    ArrayNode followUsers = answer.putArray("follow_user");
    for (FollowState f : follows) {
      ObjectNode info = (ObjectNode) contactEntry(f).get("follow_info");
      info.remove("tag_id");
      ArrayNode tags = info.putArray("tags");
      for (String tagId : f.tagIds) {
        for (GroupState g : groups.values()) {
          TagState t = g.tags.get(tagId);
          if (t != null) {
            ObjectNode tag = tags.addObject();
            tag.put("group_name", g.name);
            tag.put("tag_name", t.name());
            tag.put("tag_id", t.id());
            tag.put("type", 1);
          }
        }
      }
      followUsers.add(info);
    }
    return answer;
  }

  // ---------------------------------------------------------------- tags' API

  private ObjectNode corpTagList(JsonNode request) {
    List<String> tagIds = strings(request, "tag_id");
    List<String> groupIds = strings(request, "group_id");
    boolean byGroup = groupIds != null && !groupIds.isEmpty();
    boolean byTag = !byGroup && tagIds != null && !tagIds.isEmpty();
    ObjectNode answer = ok();
    ArrayNode list = answer.putArray("tag_group");
    List<GroupState> ordered = new ArrayList<>(groups.values());
    ordered.sort(Comparator.comparingLong((GroupState g) -> g.order).reversed());
    for (GroupState g : ordered) {
      if (byGroup && !groupIds.contains(g.id)) {
        continue;
      }
      List<TagState> chosen = new ArrayList<>(g.tags.values());
      if (byTag) {
        chosen.removeIf(t -> !tagIds.contains(t.id()));
        if (chosen.isEmpty()) {
          continue;
        }
      }
      chosen.sort(Comparator.comparingLong(TagState::order).reversed());
      ObjectNode group = list.addObject();
      group.put("group_id", g.id);
      group.put("group_name", g.name);
      group.put("create_time", g.createTime);
      group.put("order", g.order);
      if (byTag) {
        group.put("deleted", false); // "只在指定tag_id进行查询时返回"
      }
      ArrayNode tagList = group.putArray("tag");
      for (TagState t : chosen) {
        ObjectNode tag = tagList.addObject();
        tag.put("id", t.id());
        tag.put("name", t.name());
        tag.put("create_time", t.createTime());
        tag.put("order", t.order());
        if (byTag || byGroup) {
          tag.put("deleted", false);
        }
      }
    }
    return answer;
  }

  private ObjectNode addCorpTag(JsonNode request) {
    JsonNode tagNodes = request.get("tag");
    if (tagNodes == null || !tagNodes.isArray() || tagNodes.isEmpty()) {
      throw missing("tag"); // "不支持创建空标签组"
    }
    Map<String, Long> wanted = new LinkedHashMap<>();
    for (JsonNode t : tagNodes) {
      String name = t.isObject() ? string(t, "name") : null;
      if (name == null || name.isEmpty()) {
        throw missing("tag.name");
      }
      if (name.length() > 30) {
        throw refusal(40058, "field `tag.name` exceed max length 30. invalid Request Parameter");
      }
      wanted.putIfAbsent(name, order(t)); // "传入多个同名标签，则只会创建一个"
    }
    String groupId = string(request, "group_id");
    GroupState g = null;
    String groupName = null;
    if (groupId != null && !groupId.isEmpty()) {
      g = groups.get(groupId);
      if (g == null) {
        throw refusal(40068, "invalid tagid: " + groupId);
      }
    } else {
      groupName = string(request, "group_name");
      if (groupName == null || groupName.isEmpty()) {
        throw missing("group_name");
      }
      if (groupName.length() > 30) {
        throw refusal(40058, "field `group_name` exceed max length 30. invalid Request Parameter");
      }
      g = groupNamed(groupName);
    }
    if (g != null) {
      for (TagState t : g.tags.values()) {
        if (wanted.containsKey(t.name())) {
          throw refusal(40071, "不合法的标签名字，标签名字已经存在");
        }
      }
    }
    if (tags.size() + wanted.size() > MAX_CORP_TAGS) {
      throw refusal(40126, "企业标签个数达到上限，最多为3000个");
    }
    if (g == null) {
      g =
          new GroupState(
              id("et", random), groupName, Instant.now(clock).getEpochSecond(), order(request));
      groups.put(g.id, g);
    }
    ObjectNode answer = ok();
    ObjectNode group = answer.putObject("tag_group");
    group.put("group_id", g.id);
    group.put("group_name", g.name);
    group.put("create_time", g.createTime);
    group.put("order", g.order);
    ArrayNode created = group.putArray("tag");
    for (Map.Entry<String, Long> w : wanted.entrySet()) {
      TagState t = newTag(g, w.getKey(), w.getValue());
      ObjectNode tag = created.addObject();
      tag.put("id", t.id());
      tag.put("name", t.name());
      tag.put("create_time", t.createTime());
      tag.put("order", t.order());
    }
    return answer;
  }

  /** An order value, in [0, 2^32) as the docs say; 0 when absent. */
  private long order(JsonNode node) {
    long order = integer(node, "order", 0);
    if (order < 0 || order >= 1L << 32) {
      throw refusal(40058, "field `order` invalid. invalid Request Parameter");
    }
    return order;
  }

  private ObjectNode markTag(JsonNode request) {
    String userid = string(request, "userid");
    if (userid == null || userid.isEmpty()) {
      throw refusal(41009, "缺少userid参数");
    }
    StaffState s = staff.get(userid);
    if (s == null || s.departed != null) {
      throw refusal(60111, "invalid string value `" + userid + "`. userid not found");
    }
    String externalUserid = string(request, "external_userid");
    if (externalUserid == null || externalUserid.isEmpty()) {
      throw refusal(41035, "missing external userid");
    }
    if (!customers.containsKey(externalUserid)) {
      throw refusal(40096, "invalid external userid");
    }
    FollowState f = s.byCustomer.get(externalUserid);
    if (f == null) {
      throw refusal(84061, "not external contact");
    }
    List<String> add = Objects.requireNonNullElse(strings(request, "add_tag"), List.of());
    List<String> remove = Objects.requireNonNullElse(strings(request, "remove_tag"), List.of());
    if (add.isEmpty() && remove.isEmpty()) { // "add_tag和remove_tag不可同时为空"
      throw refusal(40058, "invalid Request Parameter");
    }
    for (String id : add) {
      if (!tags.containsKey(id)) {
        throw refusal(40068, "invalid tagid: " + id);
      }
    }
    for (String id : remove) {
      if (!tags.containsKey(id)) {
        throw refusal(40068, "invalid tagid: " + id);
      }
    }
    // Undocumented when a tag is in both: removing comes after adding, so it goes.
    f.tagIds.addAll(add);
    remove.forEach(f.tagIds::remove);
    return ok();
  }

  // ---------------------------------------------------------------- transfers' API

  private ObjectNode unassignedList(JsonNode request) {
    long size = integer(request, "page_size", MAX_PAGE);
    if (size < 0) {
      throw refusal(40058, "field `page_size` invalid. invalid Request Parameter");
    }
    int pageSize = (int) (size == 0 ? MAX_PAGE : Math.min(size, MAX_PAGE));
    List<String> key = List.of();
    PageCursor from = cursor(request, UNASSIGNED_LIST, key);
    List<StaffState> walked = departures.stream().map(staff::get).toList();
    // A customer whose transfer is under way is no longer waiting to be assigned.
    Set<String> assigned = new HashSet<>();
    transfers.stream()
        .filter(t -> t.status == TRANSFER_WAITING)
        .forEach(t -> assigned.add(t.handover + "/" + t.externalUserid));
    ObjectNode answer = ok();
    ArrayNode info = answer.putArray("info");
    PageCursor end =
        page(
            walked,
            from,
            pageSize,
            f -> !assigned.contains(f.userid + "/" + f.externalUserid),
            f -> {
              ObjectNode item = info.addObject();
              item.put("handover_userid", f.userid);
              item.put("external_userid", f.externalUserid);
              item.put("dimission_time", staff.get(f.userid).departed.getEpochSecond());
            });
    answer.put("is_last", end == null);
    answer.put("next_cursor", issue(end, UNASSIGNED_LIST, key));
    return answer;
  }

  private ObjectNode transferCustomer(JsonNode request) {
    String handover = string(request, "handover_userid");
    if (handover == null || handover.isEmpty()) {
      throw missing("handover_userid");
    }
    String takeover = string(request, "takeover_userid");
    if (takeover == null || takeover.isEmpty()) {
      throw missing("takeover_userid");
    }
    if (handover.equals(takeover)) {
      throw refusal(40130, "原跟进人与接手人一样，不可继承");
    }
    StaffState from = staff.get(handover);
    if (from == null) {
      throw refusal(60111, "invalid string value `" + handover + "`. userid not found");
    }
    if (from.departed == null) {
      throw refusal(40097, "该成员尚未离职");
    }
    StaffState to = staff.get(takeover);
    if (to == null || to.departed != null) {
      throw refusal(60111, "invalid string value `" + takeover + "`. userid not found");
    }
    List<String> externalUserids = strings(request, "external_userid");
    if (externalUserids == null || externalUserids.isEmpty()) {
      throw refusal(41035, "missing external userid");
    }
    if (externalUserids.size() > MAX_TRANSFER) {
      throw refusal(
          40058,
          "field `external_userid` exceed max length "
              + MAX_TRANSFER
              + ". invalid Request Parameter");
    }
    Instant now = Instant.now(clock);
    ObjectNode answer = ok();
    ArrayNode results = answer.putArray("customer");
    for (String externalUserid : externalUserids) {
      int code;
      if (!customers.containsKey(externalUserid)) {
        code = 40096;
      } else if (!from.byCustomer.containsKey(externalUserid)) {
        code = 40131; // handover_userid 并不是外部联系人的跟进人
      } else if (waitingTransfer(externalUserid) != null) {
        code = 40129; // 当前客户正在转接中
      } else {
        code = 0; // "0表示开始分配流程,待24小时后自动接替,并不代表最终分配成功"
        transfers.add(
            new TransferState(handover, takeover, externalUserid, now.plus(transferDelay)));
      }
      ObjectNode item = results.addObject();
      item.put("external_userid", externalUserid);
      item.put("errcode", code);
    }
    settleTransfers(now);
    return answer;
  }

  private ObjectNode transferResult(JsonNode request) {
    String handover = string(request, "handover_userid");
    if (handover == null || handover.isEmpty()) {
      throw missing("handover_userid");
    }
    String takeover = string(request, "takeover_userid");
    if (takeover == null || takeover.isEmpty()) {
      throw missing("takeover_userid");
    }
    List<String> key = List.of(handover, takeover);
    PageCursor from = cursor(request, TRANSFER_RESULT, key);
    List<TransferState> pair =
        transfers.stream()
            .filter(t -> t.handover.equals(handover) && t.takeover.equals(takeover))
            .toList();
    int start = from == null ? 0 : from.index();
    int end = Math.min(pair.size(), start + MAX_PAGE);
    ObjectNode answer = ok();
    ArrayNode list = answer.putArray("customer");
    for (TransferState t : pair.subList(start, end)) {
      ObjectNode item = list.addObject();
      item.put("external_userid", t.externalUserid);
      item.put("status", t.status);
      item.put("takeover_time", t.takeoverTime);
    }
    answer.put(
        "next_cursor",
        end < pair.size() ? issue(new PageCursor(null, null, end, 0), TRANSFER_RESULT, key) : "");
    return answer;
  }

  // ---------------------------------------------------------------- callbacks

  /**
   * How the hub answered a callback. {@code query} and {@code sent} are what was sent (the query
   * and the encrypted envelope); {@code plain} the event before encryption (null for {@link
   * #sendRaw}); {@code status} 0 when no answer came within {@link #CALLBACK_TIMEOUT}; {@code
   * attempt} 1 for the first sending, 2 to 4 for WeCom's retries. It {@code counted} as HTTP 200,
   * whatever the body, which is what WeCom takes for a receipt.
   */
  public record Delivery(
      Map<String, String> query,
      String sent,
      String plain,
      int status,
      String answer,
      boolean counted,
      int attempt) {}

  /**
   * How the hub answered the URL check: {@code echostr} is the plain one it had to answer, {@code
   * encrypted} the one sent; it {@code passed} as HTTP 200 with exactly {@code echostr} as the body
   * ("不能加引号，不能带bom头，不能带换行符"); {@code status} 0 without an answer within {@link #VERIFY_TIMEOUT}.
   */
  public record Verification(
      String echostr, String encrypted, int status, String body, boolean passed) {}

  /** {@link #verifyUrl(String, String, String)} with the configured token and key. */
  public Verification verifyUrl(String hookUrl) throws IOException {
    String token;
    String key;
    synchronized (this) {
      token = callbackToken;
      key = callbackAesKey;
    }
    return verifyUrl(hookUrl, token, key);
  }

  /**
   * The URL check WeCom makes when the callback URL is saved: a GET with {@code msg_signature},
   * {@code timestamp}, {@code nonce} and {@code echostr}, in the docs' order; echostr is a random
   * number encrypted for the corp id, and msg_signature signs token, timestamp, nonce and the
   * encrypted echostr. The hub must answer the decrypted number within 1 s.
   */
  public Verification verifyUrl(String hookUrl, String token, String encodingAesKey)
      throws IOException {
    Map<String, String> query = new LinkedHashMap<>();
    String echostr;
    String encrypted;
    synchronized (this) {
      String timestamp = Long.toString(Instant.now(clock).getEpochSecond());
      String nonce = nonce();
      echostr =
          Long.toString(
              1_000_000_000_000_000_000L
                  + Math.floorMod(random.nextLong(), 8_000_000_000_000_000_000L));
      encrypted =
          encrypt(encodingAesKey, corpId, echostr, randomString(random, ALNUM, 16).getBytes(UTF_8));
      query.put("msg_signature", signature(token, timestamp, nonce, encrypted));
      query.put("timestamp", timestamp);
      query.put("nonce", nonce);
      query.put("echostr", encrypted);
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(withQuery(hookUrl, query)))
            .timeout(VERIFY_TIMEOUT)
            .header("User-Agent", "Mozilla/4.0")
            .GET()
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
      String body = Objects.toString(response.body(), "");
      return new Verification(
          echostr,
          encrypted,
          response.statusCode(),
          body,
          response.statusCode() == 200 && body.equals(echostr));
    } catch (HttpTimeoutException e) {
      return new Verification(echostr, encrypted, 0, "", false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted checking " + hookUrl);
    }
  }

  /** {@link #callback(String, String, String, Map)} with the configured token and key. */
  public Delivery callback(String hookUrl, Map<String, ?> fields) throws IOException {
    String token;
    String key;
    synchronized (this) {
      token = callbackToken;
      key = callbackAesKey;
    }
    return callback(hookUrl, token, key, fields);
  }

  /**
   * Calls back an event as WeCom does, signed with {@code token} and encrypted with {@code
   * encodingAesKey} for the corp id (pass others than the configured ones to test refusals).
   *
   * <p>The event is ToUserName (the corp id), FromUserName "sys", CreateTime (now, the same as the
   * query's timestamp), MsgType "event", then {@code fields} in their order; a field given
   * overrides these in place, a null value removes it. {@link Number} values are bare in the XML,
   * everything else CDATA.
   *
   * <p>Query: {@code msg_signature, timestamp, nonce}. Body: {@code
   * <xml><ToUserName/><Encrypt/><AgentID/></xml>}, as in the docs' example. Sent again while it
   * does not count, {@link #setCallbackRetries} more times at most, the same request each time.
   * Answers the last attempt; {@link #deliveries()} has them all.
   */
  public Delivery callback(
      String hookUrl, String token, String encodingAesKey, Map<String, ?> fields)
      throws IOException {
    Map<String, String> query;
    String plain;
    String body;
    int retries;
    synchronized (this) {
      long timestamp = Instant.now(clock).getEpochSecond();
      String nonce = nonce();
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("ToUserName", corpId);
      event.put("FromUserName", "sys");
      event.put("CreateTime", timestamp);
      event.put("MsgType", "event");
      event.putAll(fields);
      event.values().removeIf(Objects::isNull);
      plain = eventXml(event);
      String encrypt =
          encrypt(encodingAesKey, corpId, plain, randomString(random, ALNUM, 16).getBytes(UTF_8));
      query = callbackQuery(token, timestamp, nonce, encrypt);
      body = envelope(corpId, encrypt, agentId);
      retries = callbackRetries;
    }
    Delivery last = null;
    for (int attempt = 1; attempt <= 1 + retries; attempt++) {
      last = send(hookUrl, query, callbackHeaders(), body.getBytes(UTF_8), plain, attempt);
      if (last.counted()) {
        break;
      }
    }
    return last;
  }

  /**
   * The staff member added the customer ({@value #ADD_EXTERNAL_CONTACT}): UserID, ExternalUserID,
   * State when the relationship has one, and a WelcomeCode.
   */
  public Delivery sendAddExternalContact(String hookUrl, Follow follow) throws IOException {
    Map<String, Object> fields = contactFields(ADD_EXTERNAL_CONTACT, follow.userid());
    fields.put("ExternalUserID", follow.externalUserid());
    fields.put("State", follow.state());
    synchronized (this) {
      fields.put("WelcomeCode", randomString(random, ID_CHARS, 43));
    }
    return callback(hookUrl, fields);
  }

  /** The staff member edited the customer's remark or tags ({@value #EDIT_EXTERNAL_CONTACT}). */
  public Delivery sendEditExternalContact(String hookUrl, String userid, String externalUserid)
      throws IOException {
    Map<String, Object> fields = contactFields(EDIT_EXTERNAL_CONTACT, userid);
    fields.put("ExternalUserID", externalUserid);
    return callback(hookUrl, fields);
  }

  /**
   * The staff member deleted the customer ({@value #DEL_EXTERNAL_CONTACT}); with {@code byTransfer}
   * the Source DELETE_BY_TRANSFER (deleted for an on-the-job transfer).
   */
  public Delivery sendDelExternalContact(
      String hookUrl, String userid, String externalUserid, boolean byTransfer) throws IOException {
    Map<String, Object> fields = contactFields(DEL_EXTERNAL_CONTACT, userid);
    fields.put("ExternalUserID", externalUserid);
    fields.put("Source", byTransfer ? "DELETE_BY_TRANSFER" : null);
    return callback(hookUrl, fields);
  }

  /** The customer deleted the staff member ({@value #DEL_FOLLOW_USER}). */
  public Delivery sendDelFollowUser(String hookUrl, String userid, String externalUserid)
      throws IOException {
    Map<String, Object> fields = contactFields(DEL_FOLLOW_USER, userid);
    fields.put("ExternalUserID", externalUserid);
    return callback(hookUrl, fields);
  }

  /**
   * A transfer failed ({@value #TRANSFER_FAIL}): FailReason {@value #CUSTOMER_REFUSED} or {@value
   * #CUSTOMER_LIMIT_EXCEED}, UserID the takeover (the docs' order), ExternalUserID.
   */
  public Delivery sendTransferFail(
      String hookUrl, String takeoverUserid, String externalUserid, String failReason)
      throws IOException {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("Event", CHANGE_EXTERNAL_CONTACT);
    fields.put("ChangeType", TRANSFER_FAIL);
    fields.put("FailReason", failReason);
    fields.put("UserID", takeoverUserid);
    fields.put("ExternalUserID", externalUserid);
    return callback(hookUrl, fields);
  }

  /**
   * A corporate tag or group changed ({@value #CHANGE_EXTERNAL_TAG}): Id, TagType ("tag" or
   * "tag_group"), ChangeType ("create", "update", "delete" or "shuffle").
   */
  public Delivery sendChangeExternalTag(
      String hookUrl, String id, String tagType, String changeType) throws IOException {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("Event", CHANGE_EXTERNAL_TAG);
    fields.put("Id", id);
    fields.put("TagType", tagType);
    fields.put("ChangeType", changeType);
    return callback(hookUrl, fields);
  }

  /** A staff member was deleted from the address book ({@value #CHANGE_CONTACT}, delete_user). */
  public Delivery sendDeleteUser(String hookUrl, String userid) throws IOException {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("Event", CHANGE_CONTACT);
    fields.put("ChangeType", DELETE_USER);
    fields.put("UserID", userid);
    return callback(hookUrl, fields);
  }

  private static Map<String, Object> contactFields(String changeType, String userid) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("Event", CHANGE_EXTERNAL_CONTACT);
    fields.put("ChangeType", changeType);
    fields.put("UserID", userid);
    return fields;
  }

  /**
   * POSTs exactly this query (appended to any the URL has), headers and body, once, for tampered
   * signatures, stale timestamps, XXE payloads and oversized bodies. Null query values and headers
   * are skipped, and so are the headers java.net.http sets itself (Content-Length, Host...). Waits
   * {@link #CALLBACK_TIMEOUT} like a callback.
   */
  public Delivery sendRaw(
      String hookUrl, Map<String, String> query, Map<String, String> headers, byte[] body)
      throws IOException {
    return send(hookUrl, query, headers, body, null, 1);
  }

  /** {@link #sendRaw(String, Map, Map, byte[])} with a UTF-8 body. */
  public Delivery sendRaw(
      String hookUrl, Map<String, String> query, Map<String, String> headers, String body)
      throws IOException {
    return send(hookUrl, query, headers, body.getBytes(UTF_8), null, 1);
  }

  private Delivery send(
      String hookUrl,
      Map<String, String> query,
      Map<String, String> headers,
      byte[] body,
      String plain,
      int attempt)
      throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(withQuery(hookUrl, query)))
            .timeout(CALLBACK_TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(
        (name, value) -> {
          if (value != null && !RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            request.header(name, value);
          }
        });
    Map<String, String> sentQuery = new LinkedHashMap<>(query);
    sentQuery.values().removeIf(Objects::isNull);
    Map<String, String> shown = Collections.unmodifiableMap(sentQuery);
    String sent = new String(body, UTF_8);
    Delivery delivery;
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
      delivery =
          new Delivery(
              shown,
              sent,
              plain,
              response.statusCode(),
              Objects.toString(response.body(), ""),
              response.statusCode() == 200,
              attempt);
    } catch (HttpTimeoutException e) {
      delivery = new Delivery(shown, sent, plain, 0, "", false, attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted calling back " + hookUrl);
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

  /** A nonce as WeCom's: a decimal number of up to ten digits. */
  private String nonce() {
    return Integer.toString(100_000_000 + random.nextInt(Integer.MAX_VALUE - 100_000_000));
  }

  // ---------------------------------------------------------------- callback formats, public

  /** The query of a callback: {@code msg_signature} over token, timestamp, nonce and encrypt. */
  public static Map<String, String> callbackQuery(
      String token, long timestamp, String nonce, String encrypt) {
    String ts = Long.toString(timestamp);
    Map<String, String> query = new LinkedHashMap<>();
    query.put("msg_signature", signature(token, ts, nonce, encrypt));
    query.put("timestamp", ts);
    query.put("nonce", nonce);
    return query;
  }

  /** The headers of a callback: an XML Content-Type, and a User-Agent and Accept. */
  public static Map<String, String> callbackHeaders() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "text/xml");
    headers.put("User-Agent", "Mozilla/4.0");
    headers.put("Accept", "*/*");
    return headers;
  }

  /**
   * An event as XML: {@code <xml><Key><![CDATA[text]]></Key><Num>1</Num>...</xml>}; {@link Number}
   * values bare, anything else CDATA; null values left out.
   */
  public static String eventXml(Map<String, ?> fields) {
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

  /** The encrypted body: ToUserName, Encrypt and (when not null) AgentID, as the docs show. */
  public static String envelope(String corpId, String encrypt, String agentId) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("ToUserName", corpId);
    fields.put("Encrypt", encrypt);
    fields.put("AgentID", agentId);
    return eventXml(fields);
  }

  private static String cdata(String text) {
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>";
  }

  // ---------------------------------------------------------------- WXBizMsgCrypt

  /** A decrypted message and the receive id (the corp id) it carried. */
  public record Decrypted(String message, String receiveId) {}

  /**
   * WeCom's msg_signature: lowercase hex SHA-1 of the parts sorted as strings and joined without a
   * separator, {@code signature(token, timestamp, nonce, encrypt)}.
   */
  public static String signature(String... parts) {
    return WeChatServer.signature(parts);
  }

  /** Encrypts as WeCom does, with 16 random letters and digits in front. */
  public static String encrypt(String encodingAesKey, String receiveId, String plain) {
    byte[] random16 = new byte[16];
    for (int i = 0; i < 16; i++) {
      random16[i] = (byte) ALNUM.charAt(SECURE.nextInt(ALNUM.length()));
    }
    return encrypt(encodingAesKey, receiveId, plain, random16);
  }

  /**
   * Encrypts as WXBizMsgCrypt, which WeCom's callbacks share with WeChat's pushes (the receiver
   * here is the corp id): {@link WeChatServer#encrypt(String, String, String, byte[])}.
   */
  public static String encrypt(
      String encodingAesKey, String receiveId, String plain, byte[] random16) {
    return WeChatServer.encrypt(encodingAesKey, receiveId, plain, random16);
  }

  /**
   * Decrypts an {@code Encrypt} (or encrypted {@code echostr}) and checks that it is meant for
   * {@code receiveId}; an IllegalArgumentException when it cannot be decrypted or is not.
   */
  public static String decrypt(String encodingAesKey, String receiveId, String encrypt) {
    return WeChatServer.decrypt(encodingAesKey, receiveId, encrypt);
  }

  /** Decrypts an {@code Encrypt} value; an IllegalArgumentException when it cannot. */
  public static Decrypted decrypt(String encodingAesKey, String encrypt) {
    WeChatServer.Decrypted d = WeChatServer.decrypt(encodingAesKey, encrypt);
    return new Decrypted(d.message(), d.appId());
  }

  private static byte[] aesKey(String encodingAesKey) {
    if (encodingAesKey == null || !ENCODING_AES_KEY.matcher(encodingAesKey).matches()) {
      throw new IllegalArgumentException("An EncodingAESKey is 43 letters or digits");
    }
    return Base64.getDecoder().decode(encodingAesKey + "=");
  }

  // ---------------------------------------------------------------- randomness and hashes

  private static String randomString(Random r, String alphabet, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return s.toString();
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
}
