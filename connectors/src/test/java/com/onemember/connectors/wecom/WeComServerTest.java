package com.onemember.connectors.wecom;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.onemember.connectors.wechat.WeChatServer;
import com.onemember.connectors.wecom.WeComServer.CorpTag;
import com.onemember.connectors.wecom.WeComServer.Decrypted;
import com.onemember.connectors.wecom.WeComServer.Delivery;
import com.onemember.connectors.wecom.WeComServer.Follow;
import com.onemember.connectors.wecom.WeComServer.Transfer;
import com.onemember.connectors.wecom.WeComServer.Verification;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The WeCom stand-in speaks the protocol a WeCom connector relies on, checked over a real socket.
 */
class WeComServerTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** The brand's corp and the secret of its customer-contact app. */
  private static final String CORP = "ww3f7a1c9e5b2d8046";

  private static final String SECRET = "Xq3rT9vLm2Kp8Wd4Zc6Hn1Bj5Gf7Ys0Ae2Ru9Ti4Ol";

  /** 2024-12-06 08:00:00 UTC, 16:00 in Beijing. */
  private static final Instant T0 = Instant.ofEpochSecond(1733472000L);

  private static final String UNIONID_WANG = "oZ9Fq5vtPeQ6g8C1ZxJrS3nLQk0M";
  private static final String UNIONID_LI = "oZ9Fq5sXn2Lr8Wd4Kq7Tm1Hc6BvY";

  private static final String BATCH = "/cgi-bin/externalcontact/batch/get_by_user?access_token=";
  private static final String MARK_TAG = "/cgi-bin/externalcontact/mark_tag?access_token=";
  private static final String ADD_CORP_TAG = "/cgi-bin/externalcontact/add_corp_tag?access_token=";
  private static final String TAG_LIST = "/cgi-bin/externalcontact/get_corp_tag_list?access_token=";
  private static final String UNASSIGNED =
      "/cgi-bin/externalcontact/get_unassigned_list?access_token=";
  private static final String TRANSFER =
      "/cgi-bin/externalcontact/resigned/transfer_customer?access_token=";
  private static final String RESULT =
      "/cgi-bin/externalcontact/resigned/transfer_result?access_token=";
  private static final String FOLLOWERS =
      "/cgi-bin/externalcontact/get_follow_user_list?access_token=";

  /** WeCom's published example (加解密方案说明 and the WXBizMsgCrypt samples). */
  private static final String DOC_TOKEN = "QDG6eK";

  private static final String DOC_AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
  private static final String DOC_CORP = "wx5823bf96d3bd56c7";
  private static final String DOC_ECHOSTR =
      "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";
  private static final String DOC_ENCRYPT =
      "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUp"
          + "j911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgp"
          + "ue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+Kq"
          + "CKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XX"
          + "ZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGH"
          + "BZZIs2pDBS8R07+qN+E7Q==";
  private static final String DOC_MESSAGE =
      "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n"
          + "<FromUserName><![CDATA[mycreate]]></FromUserName>\n"
          + "<CreateTime>1409659813</CreateTime>\n"
          + "<MsgType><![CDATA[text]]></MsgType>\n"
          + "<Content><![CDATA[hello]]></Content>\n"
          + "<MsgId>4561255354251345929</MsgId>\n"
          + "<AgentID>218</AgentID>\n"
          + "</xml>";

  private WeComServer wecom;

  @BeforeEach
  void start() throws IOException {
    wecom = new WeComServer(CORP, SECRET);
    at(T0);
    wecom.addStaff("zhangwei", "张伟");
    wecom.addStaff("lina", "李娜");
    wecom.addStaff("wangfang", "王芳");
  }

  @AfterEach
  void stop() {
    wecom.close();
  }

  private void at(Instant instant) {
    wecom.setClock(Clock.fixed(instant, ZoneOffset.UTC));
  }

  // ---------------------------------------------------------------- client side helpers

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(wecom.baseUrl() + pathAndQuery)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
  }

  private HttpResponse<String> post(String pathAndQuery, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(wecom.baseUrl() + pathAndQuery))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, UTF_8))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
  }

  private JsonNode post(String pathAndToken, Map<String, ?> body) throws Exception {
    return api(post(pathAndToken, JSON.writeValueAsString(body)));
  }

  /** The JSON answer, after checking it came as HTTP 200 with WeCom's content type. */
  private static JsonNode api(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("application/json; charset=UTF-8");
    return JSON.readTree(response.body());
  }

  /** An error answer: errcode, errmsg as WeCom's, and the API's list fields empty. */
  private static void assertError(JsonNode answer, int errcode, String errmsg, String... lists) {
    assertThat(answer.path("errcode").isInt()).isTrue();
    assertThat(answer.path("errcode").asInt()).isEqualTo(errcode);
    assertThat(answer.path("errmsg").asString())
        .startsWith(errmsg)
        .matches(
            "(?s).*, hint: \\[\\d{25}\\], from ip: 127\\.0\\.0\\.1, more info at "
                + "https://open\\.work\\.weixin\\.qq\\.com/devtool/query\\?e="
                + errcode);
    List<String> names = new ArrayList<>(List.of("errcode", "errmsg"));
    names.addAll(List.of(lists));
    assertThat(answer.propertyNames()).containsExactlyElementsOf(names);
    for (String list : lists) {
      assertThat(answer.path(list).isArray()).isTrue();
      assertThat(answer.path(list).isEmpty()).isTrue();
    }
  }

  private static void assertOk(JsonNode answer) {
    assertThat(answer.path("errcode").asInt()).as("%s", answer).isZero();
    assertThat(answer.path("errmsg").asString()).isEqualTo("ok");
  }

  private JsonNode tokenAnswer(String corpId, String secret) throws Exception {
    return api(get("/cgi-bin/gettoken?corpid=" + corpId + "&corpsecret=" + secret));
  }

  private String token() throws Exception {
    return tokenAnswer(CORP, SECRET).path("access_token").asString();
  }

  private JsonNode followers(String token) throws Exception {
    return api(get(FOLLOWERS + token));
  }

  private JsonNode batch(String token, List<String> userids, String cursor, Object limit)
      throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("userid_list", userids);
    if (cursor != null) {
      body.put("cursor", cursor);
    }
    if (limit != null) {
      body.put("limit", limit);
    }
    return post(BATCH + token, body);
  }

  /** Every (userid, external_userid) pair of a batch/get_by_user answer, as "userid/id". */
  private static List<String> pairs(JsonNode answer) {
    List<String> pairs = new ArrayList<>();
    for (JsonNode entry : answer.path("external_contact_list")) {
      pairs.add(
          entry.path("follow_info").path("userid").asString()
              + "/"
              + entry.path("external_contact").path("external_userid").asString());
    }
    return pairs;
  }

  /** Walks every page of batch/get_by_user with {@code limit}; answers all pairs. */
  private List<String> allPairs(String token, List<String> userids, int limit) throws Exception {
    List<String> all = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page = batch(token, userids, cursor, limit);
      assertOk(page);
      all.addAll(pairs(page));
      cursor = page.path("next_cursor").asString();
    } while (!cursor.isEmpty());
    return all;
  }

  private static JsonNode entryOf(JsonNode answer, String userid, String externalUserid) {
    for (JsonNode entry : answer.path("external_contact_list")) {
      if (entry.path("follow_info").path("userid").asString().equals(userid)
          && entry
              .path("external_contact")
              .path("external_userid")
              .asString()
              .equals(externalUserid)) {
        return entry;
      }
    }
    throw new AssertionError("No " + userid + "/" + externalUserid + " in " + answer);
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asString()));
    return texts;
  }

  /** SHA-1 of the sorted parts, computed here rather than by the server under test. */
  private static String sha1(String... parts) throws Exception {
    List<String> sorted = Arrays.stream(parts).sorted().toList();
    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
    for (String part : sorted) {
      sha1.update(part.getBytes(UTF_8));
    }
    return HexFormat.of().formatHex(sha1.digest());
  }

  /** Decrypts as a receiver would, written here rather than taken from the server under test. */
  private static Decrypted open(String aesKey, String encrypt) throws Exception {
    byte[] key = Base64.getDecoder().decode(aesKey + "=");
    Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
    cipher.init(
        Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(key, 0, 16));
    byte[] full = cipher.doFinal(Base64.getDecoder().decode(encrypt));
    int pad = full[full.length - 1];
    int length = ByteBuffer.wrap(full, 16, 4).getInt();
    return new Decrypted(
        new String(full, 20, length, UTF_8),
        new String(full, 20 + length, full.length - pad - 20 - length, UTF_8));
  }

  // ---------------------------------------------------------------- tokens

  @Test
  void givesTheSameTokenWhileItIsValidAndANewOneAfter() throws Exception {
    JsonNode first = tokenAnswer(CORP, SECRET);
    assertThat(first.propertyNames())
        .containsExactly("errcode", "errmsg", "access_token", "expires_in");
    assertOk(first);
    assertThat(first.path("expires_in").asInt()).isEqualTo(7200);
    String t1 = first.path("access_token").asString();
    assertThat(t1).matches("[A-Za-z0-9_-]{214}");
    assertOk(followers(t1));

    // The same token an hour later, and expires_in says 7200 all the same.
    at(T0.plusSeconds(3600));
    JsonNode again = tokenAnswer(CORP, SECRET);
    assertThat(again.path("access_token").asString()).isEqualTo(t1);
    assertThat(again.path("expires_in").asInt()).isEqualTo(7200);

    // 7200 s after it was issued it has expired, and gettoken gives a new one.
    at(T0.plusSeconds(7199));
    assertOk(followers(t1));
    at(T0.plusSeconds(7200));
    assertError(followers(t1), 42001, "access_token expired", "follow_user");
    String t2 = token();
    assertThat(t2).isNotEqualTo(t1);
    assertOk(followers(t2));

    // WeCom may end a token early: 40014, and gettoken gives a new one.
    wecom.invalidateTokens();
    assertError(followers(t2), 40014, "invalid access_token", "follow_user");
    String t3 = token();
    assertThat(t3).isNotEqualTo(t2);
    assertOk(followers(t3));
    wecom.expireTokens();
    assertError(followers(t3), 42001, "access_token expired", "follow_user");
    String t4 = token();
    assertOk(followers(t4));

    assertError(followers("not-a-token"), 40014, "invalid access_token", "follow_user");
    assertError(
        api(get("/cgi-bin/externalcontact/get_follow_user_list")),
        41001,
        "access_token missing",
        "follow_user");
    assertThat(wecom.tokenRequests()).isEqualTo(5);
  }

  @Test
  void refusesTokenRequestsAsWeComDoes() throws Exception {
    assertError(tokenAnswer("ww0000000000000000", SECRET), 40013, "invalid corpid");
    assertError(tokenAnswer(CORP, "wrong"), 40001, "invalid credential");
    assertError(api(get("/cgi-bin/gettoken?corpsecret=" + SECRET)), 41002, "corpid missing");
    assertError(api(get("/cgi-bin/gettoken?corpid=" + CORP)), 41004, "corpsecret missing");
    assertThat(wecom.tokenRequests()).isEqualTo(4);
    assertThat(wecom.calls()).containsOnly("GET /cgi-bin/gettoken");
    assertThat(get("/cgi-bin/unknown").statusCode()).isEqualTo(404);
  }

  // ---------------------------------------------------------------- batch/get_by_user

  @Test
  void pagesThroughTheCustomersOfSeveralStaffWithACursor() throws Exception {
    Follow wang = wecom.addContact("zhangwei", "王芳", "王芳 会员", List.of("13812345678"), UNIONID_WANG);
    at(T0.plusSeconds(10));
    Follow anon = wecom.addContact("zhangwei", "匿名", "", List.of(), null);
    Follow partner = wecom.addWeComContact("zhangwei", "陈伟", "永辉超市", "陈总");
    Follow li = wecom.addContact("lina", "李娜", "李娜", List.of("15967301245"), UNIONID_LI);
    Follow wangAtLina = wecom.addExistingCustomer("lina", wang.externalUserid(), "王姐", List.of());
    Follow store =
        wecom.addContact("wangfang", "赵敏", "赵敏", List.of("18612345678"), null, "store0571");

    // The same person is one external_userid whoever added her; ids as WeCom's.
    assertThat(wangAtLina.externalUserid()).isEqualTo(wang.externalUserid());
    assertThat(wang.externalUserid()).matches("wm[A-Za-z0-9_-]{6}AA[A-Za-z0-9_-]{22}");
    assertThat(partner.externalUserid()).matches("wo[A-Za-z0-9_-]{6}AA[A-Za-z0-9_-]{22}");
    assertThat(anon.externalUserid()).startsWith(wang.externalUserid().substring(0, 10));

    String token = token();
    List<String> userids = List.of("lina", "zhangwei", "wangfang");
    JsonNode page1 = batch(token, userids, null, 2);
    assertThat(page1.propertyNames())
        .containsExactly("errcode", "errmsg", "external_contact_list", "next_cursor");
    assertOk(page1);
    assertThat(pairs(page1))
        .containsExactly("lina/" + li.externalUserid(), "lina/" + wang.externalUserid());
    String cursor1 = page1.path("next_cursor").asString();
    assertThat(cursor1).isNotEmpty();

    JsonNode page2 = batch(token, userids, cursor1, 2);
    assertThat(pairs(page2))
        .containsExactly("zhangwei/" + wang.externalUserid(), "zhangwei/" + anon.externalUserid());
    String cursor2 = page2.path("next_cursor").asString();
    JsonNode page3 = batch(token, userids, cursor2, 2);
    assertThat(pairs(page3))
        .containsExactly(
            "zhangwei/" + partner.externalUserid(), "wangfang/" + store.externalUserid());
    assertThat(page3.path("next_cursor").asString()).isEmpty();

    // A cursor can be used again and gives the same page.
    assertThat(pairs(batch(token, userids, cursor1, 2))).isEqualTo(pairs(page2));

    // A WeChat user of a bound corp: all the documented fields, unionid included.
    JsonNode entry = entryOf(page2, "zhangwei", wang.externalUserid());
    JsonNode contact = entry.path("external_contact");
    assertThat(contact.propertyNames())
        .containsExactly("external_userid", "name", "avatar", "type", "gender", "unionid");
    assertThat(contact.path("name").asString()).isEqualTo("王芳");
    assertThat(contact.path("type").asInt()).isEqualTo(1);
    assertThat(contact.path("gender").asInt()).isBetween(0, 2);
    assertThat(contact.path("unionid").asString()).isEqualTo(UNIONID_WANG);
    assertThat(contact.path("avatar").asString()).startsWith("http://wx.qlogo.cn/mmhead/");
    JsonNode info = entry.path("follow_info");
    assertThat(info.propertyNames())
        .containsExactly(
            "userid",
            "remark",
            "description",
            "createtime",
            "tag_id",
            "remark_mobiles",
            "add_way",
            "oper_userid");
    assertThat(info.path("remark").asString()).isEqualTo("王芳 会员");
    assertThat(info.path("createtime").asLong()).isEqualTo(T0.getEpochSecond());
    assertThat(texts(info.path("remark_mobiles"))).containsExactly("13812345678");
    assertThat(info.path("tag_id").isArray()).isTrue();
    assertThat(info.path("add_way").asInt()).isEqualTo(1);
    assertThat(info.path("oper_userid").asString()).isEqualTo("zhangwei");
    assertThat(
            entryOf(page1, "lina", wang.externalUserid())
                .path("follow_info")
                .path("remark")
                .asString())
        .isEqualTo("王姐");

    // No unionid known, a WeCom user, a 「联系我」 with a state.
    assertThat(
            entryOf(page2, "zhangwei", anon.externalUserid())
                .path("external_contact")
                .has("unionid"))
        .isFalse();
    JsonNode wecomUser =
        entryOf(page3, "zhangwei", partner.externalUserid()).path("external_contact");
    assertThat(wecomUser.path("type").asInt()).isEqualTo(2);
    assertThat(wecomUser.path("corp_name").asString()).isEqualTo("永辉超市");
    assertThat(wecomUser.has("unionid")).isFalse();
    assertThat(
            entryOf(page3, "wangfang", store.externalUserid())
                .path("follow_info")
                .path("state")
                .asString())
        .isEqualTo("store0571");

    // Without an open platform account bound, no unionid at all.
    wecom.setUnionidBound(false);
    JsonNode unbound = batch(token, List.of("zhangwei"), null, null);
    assertThat(
            entryOf(unbound, "zhangwei", wang.externalUserid())
                .path("external_contact")
                .has("unionid"))
        .isFalse();

    // A cursor belongs to its request: another userid list, or an unknown cursor, is 50100.
    assertError(
        batch(token, List.of("zhangwei"), cursor1, 2), 50100, "分页查询的游标无效", "external_contact_list");
    assertError(
        batch(token, userids, "aSfwejksvhToiMMfFeIGZZ", 2),
        50100,
        "分页查询的游标无效",
        "external_contact_list");
  }

  @Test
  void theLimitIs50ByDefaultAndAtMost100() throws Exception {
    List<Follow> generated = wecom.generate(150, 7);
    assertThat(generated).hasSize(150);
    List<String> userids = List.of("zhangwei", "lina", "wangfang");
    int total = userids.stream().mapToInt(u -> wecom.follows(u).size()).sum();
    assertThat(total).isGreaterThan(150);
    String token = token();

    assertThat(pairs(batch(token, userids, null, null))).hasSize(50);
    assertThat(pairs(batch(token, userids, null, 0))).hasSize(50);
    assertThat(pairs(batch(token, userids, null, 1000))).hasSize(100);
    assertThat(pairs(batch(token, userids, null, "10"))).hasSize(50);
    assertError(
        batch(token, userids, null, -1), 40058, "field `limit` invalid", "external_contact_list");

    List<String> all = allPairs(token, userids, 100);
    assertThat(all).hasSize(total).doesNotHaveDuplicates();
    assertThat(allPairs(token, userids, 7)).isEqualTo(all);

    // Relationships formed between pages show at the end of their staff member's list.
    JsonNode first = batch(token, List.of("zhangwei"), null, 10);
    Follow late = wecom.addContact("zhangwei", "新客", "新客", List.of(), null);
    List<String> rest = new ArrayList<>(pairs(first));
    String cursor = first.path("next_cursor").asString();
    assertThat(cursor).isNotEmpty();
    while (!cursor.isEmpty()) {
      JsonNode page = batch(token, List.of("zhangwei"), cursor, 10);
      rest.addAll(pairs(page));
      cursor = page.path("next_cursor").asString();
    }
    assertThat(rest).endsWith("zhangwei/" + late.externalUserid()).doesNotHaveDuplicates();
  }

  @Test
  void refusesBadUserLists() throws Exception {
    String token = token();
    List<String> tooMany = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      tooMany.add("zhangwei");
    }
    assertError(
        batch(token, tooMany, null, null),
        40058,
        "field `userid_list` exceed max length 100. invalid Request Parameter",
        "external_contact_list");
    assertError(
        post(BATCH + token, Map.of("limit", 10)),
        40058,
        "missing field `userid_list`. invalid Request Parameter",
        "external_contact_list");
    assertError(
        post(BATCH + token, Map.of("userid_list", List.of())),
        40058,
        "missing field `userid_list`",
        "external_contact_list");
    assertError(
        post(BATCH + token, Map.of("userid_list", "zhangwei")),
        40058,
        "missing field `userid_list`. invalid Request Parameter Warning: wrong json format.",
        "external_contact_list");
    assertError(
        api(post(BATCH + token, "userid_list=zhangwei")),
        40058,
        "missing field `userid_list`. invalid Request Parameter Warning: wrong json format.",
        "external_contact_list");
    assertError(
        batch(token, List.of("zhangwei", "nobody"), null, null),
        60111,
        "invalid string value `nobody`. userid not found",
        "external_contact_list");
    assertError(api(get(BATCH + token)), 40063, "参数为空", "external_contact_list");

    // A departed staff member is gone from the address book.
    wecom.removeStaff("wangfang");
    assertError(
        batch(token, List.of("wangfang"), null, null),
        60111,
        "invalid string value `wangfang`. userid not found",
        "external_contact_list");
    assertThat(texts(followers(token).path("follow_user"))).containsExactly("zhangwei", "lina");
  }

  @Test
  void rateLimitsAndSystemErrorsChangeNothing() throws Exception {
    Follow wang = wecom.addContact("zhangwei", "王芳", "王芳", List.of(), UNIONID_WANG);
    String token = token();
    wecom.rateLimitNext(2);
    wecom.failNext(1);
    assertThat(token()).isEqualTo(token); // gettoken is not limited
    JsonNode limited = batch(token, List.of("zhangwei"), null, null);
    assertError(limited, 45009, "api freq out of limit", "external_contact_list");
    CorpTag gold = wecom.addCorpTags("会员等级", "金卡").get(0);
    Map<String, Object> mark = new LinkedHashMap<>();
    mark.put("userid", "zhangwei");
    mark.put("external_userid", wang.externalUserid());
    mark.put("add_tag", List.of(gold.id()));
    assertError(post(MARK_TAG + token, mark), 45009, "api freq out of limit");
    assertError(post(MARK_TAG + token, mark), -1, "system busy");
    assertThat(wecom.follow("zhangwei", wang.externalUserid()).tagIds()).isEmpty();
    assertOk(post(MARK_TAG + token, mark));
    assertThat(wecom.follow("zhangwei", wang.externalUserid()).tagIds()).containsExactly(gold.id());
  }

  @Test
  void aCustomerWhoDeletedTheStaffMemberStaysListed() throws Exception {
    Follow wang = wecom.addContact("zhangwei", "王芳", "王芳", List.of("13812345678"), UNIONID_WANG);
    Follow li = wecom.addContact("lina", "李娜", "李娜", List.of(), UNIONID_LI);
    String token = token();

    Follow edited = wecom.editContact("zhangwei", wang.externalUserid(), "王芳 金卡", "常去西湖店", null);
    assertThat(edited.remarkMobiles()).containsExactly("13812345678");
    JsonNode info =
        entryOf(batch(token, List.of("zhangwei"), null, null), "zhangwei", wang.externalUserid())
            .path("follow_info");
    assertThat(info.path("remark").asString()).isEqualTo("王芳 金卡");
    assertThat(info.path("description").asString()).isEqualTo("常去西湖店");

    assertThat(wecom.customerDeletesStaff("zhangwei", wang.externalUserid()).deletedByCustomer())
        .isTrue();
    assertThat(pairs(batch(token, List.of("zhangwei"), null, null)))
        .containsExactly("zhangwei/" + wang.externalUserid());

    wecom.deleteContact("lina", li.externalUserid());
    assertThat(pairs(batch(token, List.of("lina"), null, null))).isEmpty();
    assertThat(wecom.follow("lina", li.externalUserid())).isNull();
    assertThat(wecom.customer(li.externalUserid()).unionid()).isEqualTo(UNIONID_LI);
  }

  // ---------------------------------------------------------------- corporate tags

  @Test
  void writesGoldenTagsBackAsCorporateTags() throws Exception {
    Follow wang = wecom.addContact("zhangwei", "王芳", "王芳", List.of(), UNIONID_WANG);
    wecom.addExistingCustomer("lina", wang.externalUserid(), "王姐", List.of());
    Follow li = wecom.addContact("lina", "李娜", "李娜", List.of(), UNIONID_LI);
    String token = token();

    Map<String, Object> group = new LinkedHashMap<>();
    group.put("group_name", "会员等级");
    group.put("order", 5);
    group.put(
        "tag",
        List.of(
            Map.of("name", "金卡", "order", 2),
            Map.of("name", "银卡", "order", 1),
            Map.of("name", "金卡")));
    JsonNode created = post(ADD_CORP_TAG + token, group);
    assertOk(created);
    JsonNode tagGroup = created.path("tag_group");
    assertThat(tagGroup.propertyNames())
        .containsExactly("group_id", "group_name", "create_time", "order", "tag");
    String groupId = tagGroup.path("group_id").asString();
    assertThat(groupId).matches("et[A-Za-z0-9_-]{6}AA[A-Za-z0-9_-]{22}");
    assertThat(tagGroup.path("order").asLong()).isEqualTo(5);
    assertThat(tagGroup.path("create_time").asLong()).isEqualTo(T0.getEpochSecond());
    assertThat(tagGroup.path("tag")).hasSize(2); // "传入多个同名标签，则只会创建一个"
    String gold = tagGroup.path("tag").get(0).path("id").asString();
    String silver = tagGroup.path("tag").get(1).path("id").asString();
    assertThat(tagGroup.path("tag").get(0).path("name").asString()).isEqualTo("金卡");

    // An existing group name, or its id, adds to that group.
    JsonNode diamond =
        post(
            ADD_CORP_TAG + token,
            Map.of("group_name", "会员等级", "tag", List.of(Map.of("name", "钻石卡"))));
    assertThat(diamond.path("tag_group").path("group_id").asString()).isEqualTo(groupId);
    assertThat(diamond.path("tag_group").path("tag")).hasSize(1);
    JsonNode plain =
        post(
            ADD_CORP_TAG + token,
            Map.of("group_id", groupId, "tag", List.of(Map.of("name", "普卡"))));
    assertThat(plain.path("tag_group").path("group_name").asString()).isEqualTo("会员等级");

    assertError(
        post(
            ADD_CORP_TAG + token,
            Map.of("group_id", "etNOPE", "tag", List.of(Map.of("name", "x")))),
        40068,
        "invalid tagid: etNOPE");
    assertError(
        post(
            ADD_CORP_TAG + token,
            Map.of("group_name", "会员等级", "tag", List.of(Map.of("name", "金卡")))),
        40071,
        "不合法的标签名字");
    assertError(
        post(ADD_CORP_TAG + token, Map.of("group_name", "空组", "tag", List.of())),
        40058,
        "missing field `tag`");

    // The tag library: groups and tags by order, the larger first.
    CorpTag westLake = wecom.addCorpTags("门店", "杭州西湖店").get(0);
    JsonNode library = post(TAG_LIST + token, Map.of());
    assertOk(library);
    List<String> groupNames = new ArrayList<>();
    library.path("tag_group").forEach(g -> groupNames.add(g.path("group_name").asString()));
    assertThat(groupNames).containsExactly("会员等级", "门店");
    List<String> levelTags = new ArrayList<>();
    library
        .path("tag_group")
        .get(0)
        .path("tag")
        .forEach(t -> levelTags.add(t.path("name").asString()));
    assertThat(levelTags).containsExactly("金卡", "银卡", "钻石卡", "普卡");
    assertThat(library.path("tag_group").get(0).has("deleted")).isFalse();
    assertThat(library.path("tag_group").get(0).path("tag").get(0).has("deleted")).isFalse();

    JsonNode byTag = post(TAG_LIST + token, Map.of("tag_id", List.of(silver)));
    assertThat(byTag.path("tag_group")).hasSize(1);
    assertThat(byTag.path("tag_group").get(0).path("deleted").isBoolean()).isTrue();
    assertThat(byTag.path("tag_group").get(0).path("deleted").asBoolean()).isFalse();
    assertThat(byTag.path("tag_group").get(0).path("tag")).hasSize(1);
    assertThat(byTag.path("tag_group").get(0).path("tag").get(0).path("id").asString())
        .isEqualTo(silver);
    JsonNode byGroup =
        post(
            TAG_LIST + token,
            Map.of("tag_id", List.of(silver), "group_id", List.of(westLake.groupId())));
    assertThat(byGroup.path("tag_group")).hasSize(1);
    assertThat(byGroup.path("tag_group").get(0).path("group_name").asString()).isEqualTo("门店");
    assertThat(byGroup.path("tag_group").get(0).has("deleted")).isFalse();
    assertThat(byGroup.path("tag_group").get(0).path("tag").get(0).has("deleted")).isTrue();

    // mark_tag: on one staff member's relationship only.
    Map<String, Object> mark = new LinkedHashMap<>();
    mark.put("userid", "zhangwei");
    mark.put("external_userid", wang.externalUserid());
    mark.put("add_tag", List.of(gold, westLake.id()));
    mark.put("remove_tag", List.of());
    assertThat(post(MARK_TAG + token, mark).propertyNames()).containsExactly("errcode", "errmsg");
    JsonNode both = batch(token, List.of("zhangwei", "lina"), null, null);
    assertThat(
            texts(
                entryOf(both, "zhangwei", wang.externalUserid())
                    .path("follow_info")
                    .path("tag_id")))
        .containsExactly(gold, westLake.id());
    assertThat(
            entryOf(both, "lina", wang.externalUserid())
                .path("follow_info")
                .path("tag_id")
                .isEmpty())
        .isTrue();
    mark.put("add_tag", List.of(silver));
    mark.put("remove_tag", List.of(gold));
    assertOk(post(MARK_TAG + token, mark));
    assertThat(wecom.follow("zhangwei", wang.externalUserid()).tagIds())
        .containsExactly(westLake.id(), silver);

    // Refusals, WeCom's codes.
    mark.put("add_tag", List.of("etNOPE"));
    assertError(post(MARK_TAG + token, mark), 40068, "invalid tagid: etNOPE");
    mark.put("add_tag", List.of());
    mark.put("remove_tag", List.of());
    assertError(post(MARK_TAG + token, mark), 40058, "invalid Request Parameter");
    mark.put("add_tag", List.of(gold));
    mark.put("external_userid", li.externalUserid());
    assertError(post(MARK_TAG + token, mark), 84061, "not external contact");
    mark.put("external_userid", "wmNOPE");
    assertError(post(MARK_TAG + token, mark), 40096, "invalid external userid");
    mark.remove("external_userid");
    assertError(post(MARK_TAG + token, mark), 41035, "missing external userid");
    mark.put("external_userid", wang.externalUserid());
    mark.put("userid", "nobody");
    assertError(post(MARK_TAG + token, mark), 60111, "invalid string value `nobody`");
    mark.remove("userid");
    assertError(post(MARK_TAG + token, mark), 41009, "缺少userid参数");
    assertThat(wecom.corpTags()).hasSize(5);
  }

  // ---------------------------------------------------------------- 离职继承

  @Test
  void handsADepartedMembersCustomersOverAtOnceByDefault() throws Exception {
    Follow c1 = wecom.addContact("zhangwei", "王芳", "王芳", List.of("13812345678"), UNIONID_WANG);
    Follow c2 = wecom.addContact("zhangwei", "匿名", "", List.of(), null);
    Follow c3 = wecom.addContact("zhangwei", "赵敏", "赵敏", List.of(), null);
    Follow c4 = wecom.addContact("lina", "李娜", "李娜", List.of(), UNIONID_LI);
    CorpTag gold = wecom.addCorpTags("会员等级", "金卡").get(0);
    String token = token();
    Map<String, Object> mark =
        Map.of(
            "userid",
            "zhangwei",
            "external_userid",
            c1.externalUserid(),
            "add_tag",
            List.of(gold.id()));
    assertOk(post(MARK_TAG + token, mark));

    at(T0.plusSeconds(100));
    assertThat(wecom.removeStaff("zhangwei").departed()).isEqualTo(T0.plusSeconds(100));
    JsonNode unassigned = post(UNASSIGNED + token, Map.of());
    assertThat(unassigned.propertyNames())
        .containsExactly("errcode", "errmsg", "info", "is_last", "next_cursor");
    assertThat(unassigned.path("info")).hasSize(3);
    JsonNode item = unassigned.path("info").get(0);
    assertThat(item.propertyNames())
        .containsExactly("handover_userid", "external_userid", "dimission_time");
    assertThat(item.path("handover_userid").asString()).isEqualTo("zhangwei");
    assertThat(item.path("external_userid").asString()).isEqualTo(c1.externalUserid());
    assertThat(item.path("dimission_time").asLong()).isEqualTo(T0.getEpochSecond() + 100);
    assertThat(unassigned.path("is_last").asBoolean()).isTrue();
    assertThat(unassigned.path("next_cursor").asString()).isEmpty();
    JsonNode firstTwo = post(UNASSIGNED + token, Map.of("page_size", 2));
    assertThat(firstTwo.path("info")).hasSize(2);
    assertThat(firstTwo.path("is_last").asBoolean()).isFalse();
    JsonNode lastOne =
        post(
            UNASSIGNED + token,
            Map.of("page_size", 2, "cursor", firstTwo.path("next_cursor").asString()));
    assertThat(lastOne.path("info")).hasSize(1);
    assertThat(lastOne.path("info").get(0).path("external_userid").asString())
        .isEqualTo(c3.externalUserid());
    assertThat(lastOne.path("is_last").asBoolean()).isTrue();

    Map<String, Object> transfer = new LinkedHashMap<>();
    transfer.put("handover_userid", "zhangwei");
    transfer.put("takeover_userid", "wangfang");
    transfer.put(
        "external_userid",
        List.of(c1.externalUserid(), c4.externalUserid(), "wmNOPE", c2.externalUserid()));
    JsonNode started = post(TRANSFER + token, transfer);
    assertThat(started.propertyNames()).containsExactly("errcode", "errmsg", "customer");
    assertOk(started);
    List<String> results = new ArrayList<>();
    started
        .path("customer")
        .forEach(
            c ->
                results.add(
                    c.path("external_userid").asString() + "=" + c.path("errcode").asInt()));
    assertThat(results)
        .containsExactly(
            c1.externalUserid() + "=0",
            c4.externalUserid() + "=40131",
            "wmNOPE=40096",
            c2.externalUserid() + "=0");

    // Done at once: the takeover has the customers, with the handover's remark and tags.
    Follow moved = wecom.follow("wangfang", c1.externalUserid());
    assertThat(moved.addWay()).isEqualTo(202);
    assertThat(moved.operUserid()).isEqualTo("zhangwei");
    assertThat(moved.remark()).isEqualTo("王芳");
    assertThat(moved.tagIds()).containsExactly(gold.id());
    assertThat(moved.remarkMobiles()).containsExactly("13812345678");
    assertThat(moved.createtime()).isEqualTo(T0.getEpochSecond() + 100);
    assertThat(wecom.follow("zhangwei", c1.externalUserid())).isNull();
    assertThat(pairs(batch(token, List.of("wangfang"), null, null)))
        .containsExactly("wangfang/" + c1.externalUserid(), "wangfang/" + c2.externalUserid());

    JsonNode result =
        post(RESULT + token, Map.of("handover_userid", "zhangwei", "takeover_userid", "wangfang"));
    assertThat(result.propertyNames())
        .containsExactly("errcode", "errmsg", "customer", "next_cursor");
    assertThat(result.path("customer")).hasSize(2);
    assertThat(result.path("customer").get(0).propertyNames())
        .containsExactly("external_userid", "status", "takeover_time");
    assertThat(result.path("customer").get(0).path("status").asInt()).isEqualTo(1);
    assertThat(result.path("customer").get(0).path("takeover_time").asLong())
        .isEqualTo(T0.getEpochSecond() + 100);
    assertThat(result.path("next_cursor").asString()).isEmpty();
    JsonNode none =
        post(RESULT + token, Map.of("handover_userid", "zhangwei", "takeover_userid", "lina"));
    assertOk(none);
    assertThat(none.path("customer").isEmpty()).isTrue();

    JsonNode left = post(UNASSIGNED + token, Map.of());
    assertThat(left.path("info")).hasSize(1);
    assertThat(left.path("info").get(0).path("external_userid").asString())
        .isEqualTo(c3.externalUserid());

    // Refusals.
    transfer.put("external_userid", List.of(c1.externalUserid()));
    assertThat(post(TRANSFER + token, transfer).path("customer").get(0).path("errcode").asInt())
        .isEqualTo(40131);
    transfer.put("handover_userid", "lina");
    assertError(post(TRANSFER + token, transfer), 40097, "该成员尚未离职");
    transfer.put("handover_userid", "wangfang");
    assertError(post(TRANSFER + token, transfer), 40130, "原跟进人与接手人一样，不可继承");
    transfer.put("handover_userid", "nobody");
    assertError(post(TRANSFER + token, transfer), 60111, "invalid string value `nobody`");
    transfer.put("handover_userid", "zhangwei");
    transfer.put("takeover_userid", "nobody");
    assertError(post(TRANSFER + token, transfer), 60111, "invalid string value `nobody`");
    transfer.put("takeover_userid", "wangfang");
    transfer.put("external_userid", List.of());
    assertError(post(TRANSFER + token, transfer), 41035, "missing external userid");
    List<String> tooMany = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      tooMany.add(c3.externalUserid());
    }
    transfer.put("external_userid", tooMany);
    assertError(
        post(TRANSFER + token, transfer), 40058, "field `external_userid` exceed max length");
    transfer.remove("handover_userid");
    assertError(post(TRANSFER + token, transfer), 40058, "missing field `handover_userid`");
    assertError(
        post(RESULT + token, Map.of("takeover_userid", "wangfang")),
        40058,
        "missing field `handover_userid`",
        "customer");
  }

  @Test
  void aTransferWaitsWhileWeComTakesItsTime() throws Exception {
    wecom.setTransferDelay(WeComServer.TRANSFER_DELAY);
    Follow c1 = wecom.addContact("zhangwei", "王芳", "王芳", List.of(), UNIONID_WANG);
    Follow c2 = wecom.addContact("zhangwei", "匿名", "", List.of(), null);
    Follow c3 = wecom.addContact("zhangwei", "赵敏", "赵敏", List.of(), null);
    wecom.removeStaff("zhangwei");
    String token = token();

    at(T0.plusSeconds(60));
    long due = T0.getEpochSecond() + 60 + 86_400;
    Map<String, Object> toWang = new LinkedHashMap<>();
    toWang.put("handover_userid", "zhangwei");
    toWang.put("takeover_userid", "wangfang");
    toWang.put("external_userid", List.of(c1.externalUserid(), c2.externalUserid()));
    assertThat(post(TRANSFER + token, toWang).path("customer").findValues("errcode"))
        .allMatch(code -> code.asInt() == 0);
    Map<String, Object> toLi = new LinkedHashMap<>(toWang);
    toLi.put("takeover_userid", "lina");
    toLi.put("external_userid", List.of(c3.externalUserid()));
    assertOk(post(TRANSFER + token, toLi));

    // Waiting: status 2 with the future takeover time; nothing has moved, nothing is unassigned.
    JsonNode waiting =
        post(RESULT + token, Map.of("handover_userid", "zhangwei", "takeover_userid", "wangfang"));
    assertThat(waiting.path("customer").findValues("status")).allMatch(s -> s.asInt() == 2);
    assertThat(waiting.path("customer").findValues("takeover_time"))
        .allMatch(t -> t.asLong() == due);
    assertThat(wecom.follow("zhangwei", c1.externalUserid())).isNotNull();
    assertThat(wecom.follow("wangfang", c1.externalUserid())).isNull();
    JsonNode unassigned = post(UNASSIGNED + token, Map.of());
    assertThat(unassigned.path("info").isEmpty()).isTrue();
    assertThat(unassigned.path("is_last").asBoolean()).isTrue();
    toWang.put("external_userid", List.of(c1.externalUserid()));
    assertThat(post(TRANSFER + token, toWang).path("customer").get(0).path("errcode").asInt())
        .isEqualTo(40129);

    // The second customer refuses; the takeover of the third has reached the limit.
    Transfer refused = wecom.refuseTransfer(c2.externalUserid());
    assertThat(refused.status()).isEqualTo(3);
    assertThat(refused.takeoverTime()).isZero();
    assertThat(wecom.follow("zhangwei", c2.externalUserid())).isNull();
    wecom.takeoverLimitReached("lina", true);

    at(Instant.ofEpochSecond(due - 1));
    assertThat(wecom.transfers()).extracting(Transfer::status).containsExactly(2, 3, 2);
    at(Instant.ofEpochSecond(due));
    token = token(); // the one from a day ago has expired
    JsonNode done =
        post(RESULT + token, Map.of("handover_userid", "zhangwei", "takeover_userid", "wangfang"));
    List<String> statuses = new ArrayList<>();
    done.path("customer")
        .forEach(
            c ->
                statuses.add(
                    c.path("external_userid").asString()
                        + "="
                        + c.path("status").asInt()
                        + "@"
                        + c.path("takeover_time").asLong()));
    assertThat(statuses)
        .containsExactly(c1.externalUserid() + "=1@" + due, c2.externalUserid() + "=3@0");
    assertThat(wecom.follow("wangfang", c1.externalUserid()).createtime()).isEqualTo(due);
    JsonNode limited =
        post(RESULT + token, Map.of("handover_userid", "zhangwei", "takeover_userid", "lina"));
    assertThat(limited.path("customer").get(0).path("status").asInt()).isEqualTo(4);
    assertThat(wecom.follow("zhangwei", c3.externalUserid())).isNotNull();
    assertThat(post(UNASSIGNED + token, Map.of()).path("info").findValues("external_userid"))
        .extracting(JsonNode::asString)
        .containsExactly(c3.externalUserid());
    assertThatThrownBy(() -> wecom.refuseTransfer(c1.externalUserid()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---------------------------------------------------------------- crypto, WeCom's vectors

  @Test
  void signsAndEncryptsAsWeComsPublishedExample() throws Exception {
    // The URL check: signature over the encrypted echostr, which decrypts to the number.
    assertThat(WeComServer.signature(DOC_TOKEN, "1409659589", "263014780", DOC_ECHOSTR))
        .isEqualTo("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3");
    Decrypted echo = WeComServer.decrypt(DOC_AES_KEY, DOC_ECHOSTR);
    assertThat(echo.message()).isEqualTo("1616140317555161061");
    assertThat(echo.receiveId()).isEqualTo(DOC_CORP);
    assertThat(
            WeComServer.encrypt(
                DOC_AES_KEY, DOC_CORP, "1616140317555161061", "c41b64491c2468d0".getBytes(UTF_8)))
        .isEqualTo(DOC_ECHOSTR);

    // A message: the published msg_signature, plaintext and ciphertext.
    assertThat(WeComServer.callbackQuery(DOC_TOKEN, 1409659813L, "1372623149", DOC_ENCRYPT))
        .containsExactly(
            Map.entry("msg_signature", "477715d11cdb4164915debcba66cb864d751f3e6"),
            Map.entry("timestamp", "1409659813"),
            Map.entry("nonce", "1372623149"));
    assertThat(WeComServer.decrypt(DOC_AES_KEY, DOC_CORP, DOC_ENCRYPT)).isEqualTo(DOC_MESSAGE);
    assertThat(
            WeComServer.encrypt(
                DOC_AES_KEY, DOC_CORP, DOC_MESSAGE, "0960688932c47ef1".getBytes(UTF_8)))
        .isEqualTo(DOC_ENCRYPT);

    // The decryption written in this test and WeChatServer's agree with the stand-in's.
    assertThat(open(DOC_AES_KEY, DOC_ENCRYPT)).isEqualTo(new Decrypted(DOC_MESSAGE, DOC_CORP));
    assertThat(WeChatServer.decrypt(DOC_AES_KEY, DOC_ECHOSTR).appId()).isEqualTo(DOC_CORP);
    String key = wecom.callbackAesKey();
    for (String text : List.of("", "success", "王芳添加了张伟 ]]> <x/>", "x".repeat(1000))) {
      String encrypted = WeComServer.encrypt(key, CORP, text);
      assertThat(Base64.getDecoder().decode(encrypted).length % 32).isZero();
      assertThat(open(key, encrypted)).isEqualTo(new Decrypted(text, CORP));
      assertThat(WeChatServer.decrypt(key, CORP, encrypted)).isEqualTo(text);
      assertThat(WeComServer.decrypt(key, CORP, WeChatServer.encrypt(key, CORP, text)))
          .isEqualTo(text);
    }

    // Another receiver, another key or a changed ciphertext do not pass.
    assertThatThrownBy(() -> WeComServer.decrypt(DOC_AES_KEY, CORP, DOC_ENCRYPT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(DOC_CORP);
    assertThatThrownBy(() -> WeComServer.decrypt(key, DOC_ENCRYPT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WeComServer.decrypt(DOC_AES_KEY, "not base64!"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WeComServer.decrypt("short", DOC_ENCRYPT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---------------------------------------------------------------- the hub's side

  private record Received(
      String method,
      String rawQuery,
      Map<String, String> query,
      Map<String, String> headers,
      String body) {}

  /** How the hook answers the URL check. */
  private enum EchoMode {
    /** Decrypts echostr and answers the number, as WeCom asks. */
    DECRYPTED,
    /** Answers echostr as received, as a WeChat official account would. */
    AS_RECEIVED,
    /** Answers the number with a newline after it. */
    WITH_NEWLINE
  }

  /** A stand-in for the hub's callback endpoint: records each request, answers as told. */
  private static final class Hook implements AutoCloseable {
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    final AtomicReference<String> answer = new AtomicReference<>("success");
    final AtomicInteger status = new AtomicInteger(200);
    final AtomicLong delayMillis = new AtomicLong();
    final AtomicReference<EchoMode> echoMode = new AtomicReference<>(EchoMode.DECRYPTED);
    final String token;
    final String aesKey;
    final HttpServer server;

    Hook(String token, String aesKey) throws IOException {
      this.token = token;
      this.aesKey = aesKey;
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/wecom/callback",
          exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
            Map<String, String> query = new LinkedHashMap<>();
            String raw = exchange.getRequestURI().getRawQuery();
            for (String pair : raw == null ? new String[0] : raw.split("&")) {
              int eq = pair.indexOf('=');
              query.put(
                  URLDecoder.decode(pair.substring(0, eq), UTF_8),
                  URLDecoder.decode(pair.substring(eq + 1), UTF_8));
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String name : List.of("Content-Type", "User-Agent", "X-Probe", "Host")) {
              headers.put(name, exchange.getRequestHeaders().getFirst(name));
            }
            received.add(new Received(exchange.getRequestMethod(), raw, query, headers, body));
            String reply = answer.get();
            if (exchange.getRequestMethod().equals("GET")) {
              reply = echo(query);
            }
            try {
              Thread.sleep(delayMillis.get());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            byte[] bytes = reply.getBytes(UTF_8);
            exchange.sendResponseHeaders(status.get(), bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
          });
      server.start();
    }

    private String echo(Map<String, String> query) {
      try {
        String echostr = query.get("echostr");
        String signed = sha1(token, query.get("timestamp"), query.get("nonce"), echostr);
        if (!signed.equals(query.get("msg_signature"))) {
          return "bad signature";
        }
        return switch (echoMode.get()) {
          case DECRYPTED -> open(aesKey, echostr).message();
          case AS_RECEIVED -> echostr;
          case WITH_NEWLINE -> open(aesKey, echostr).message() + "\n";
        };
      } catch (Exception e) {
        return e.toString();
      }
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/wecom/callback";
    }

    Received take() throws InterruptedException {
      Received r = received.poll(10, TimeUnit.SECONDS);
      assertThat(r).as("a request reached the hook").isNotNull();
      return r;
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private Hook hook() throws IOException {
    return new Hook(wecom.callbackToken(), wecom.callbackAesKey());
  }

  /** The child elements of an XML document's root, by name, parsed with DOCTYPEs refused. */
  private static Map<String, String> xml(String document) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Element root =
        factory
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(document.getBytes(UTF_8)))
            .getDocumentElement();
    assertThat(root.getTagName()).isEqualTo("xml");
    Map<String, String> fields = new LinkedHashMap<>();
    NodeList children = root.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      Node child = children.item(i);
      if (child.getNodeType() == Node.ELEMENT_NODE) {
        fields.put(child.getNodeName(), child.getTextContent());
      }
    }
    return fields;
  }

  /**
   * Checks a callback as a receiver would (signature, envelope, decryption, all computed here) and
   * answers the decrypted event's fields.
   */
  private Map<String, String> opened(Hook hook, Delivery delivery) throws Exception {
    Received callback = hook.take();
    assertThat(callback.method()).isEqualTo("POST");
    assertThat(callback.query().keySet()).containsExactly("msg_signature", "timestamp", "nonce");
    assertThat(callback.query()).isEqualTo(delivery.query());
    assertThat(callback.headers().get("Content-Type")).isEqualTo("text/xml");
    Map<String, String> envelope = xml(callback.body());
    assertThat(envelope.keySet()).containsExactly("ToUserName", "Encrypt", "AgentID");
    assertThat(envelope.get("ToUserName")).isEqualTo(CORP);
    assertThat(envelope.get("AgentID")).isEqualTo("1000002");
    String encrypt = envelope.get("Encrypt");
    assertThat(callback.query().get("msg_signature"))
        .isEqualTo(
            sha1(
                hook.token,
                callback.query().get("timestamp"),
                callback.query().get("nonce"),
                encrypt));
    Decrypted plain = open(hook.aesKey, encrypt);
    assertThat(plain.receiveId()).isEqualTo(CORP);
    assertThat(plain.message()).isEqualTo(delivery.plain());
    assertThat(WeChatServer.decrypt(hook.aesKey, CORP, encrypt)).isEqualTo(plain.message());
    Map<String, String> event = xml(plain.message());
    assertThat(event.get("CreateTime")).isEqualTo(callback.query().get("timestamp"));
    return event;
  }

  @Test
  void verifiesTheUrlWithAnEncryptedEchostr() throws Exception {
    try (Hook hook = hook()) {
      Verification ok = wecom.verifyUrl(hook.url());
      assertThat(ok.passed()).isTrue();
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.body()).isEqualTo(ok.echostr()).matches("\\d{19}");
      assertThat(ok.encrypted()).isNotEqualTo(ok.echostr());
      Received check = hook.take();
      assertThat(check.method()).isEqualTo("GET");
      assertThat(check.query().keySet())
          .containsExactly("msg_signature", "timestamp", "nonce", "echostr");
      assertThat(check.query().get("timestamp")).isEqualTo("1733472000");
      assertThat(check.query().get("nonce")).matches("\\d{9,10}");
      assertThat(check.query().get("echostr")).isEqualTo(ok.encrypted());
      assertThat(open(wecom.callbackAesKey(), ok.encrypted()))
          .isEqualTo(new Decrypted(ok.echostr(), CORP));

      // Unlike a WeChat official account's, the echostr is not to be answered as received.
      hook.echoMode.set(EchoMode.AS_RECEIVED);
      Verification raw = wecom.verifyUrl(hook.url());
      assertThat(raw.passed()).isFalse();
      assertThat(raw.body()).isEqualTo(raw.encrypted());
      hook.echoMode.set(EchoMode.WITH_NEWLINE);
      assertThat(wecom.verifyUrl(hook.url()).passed()).isFalse();

      // Signed with another token: the hook refuses, and the check fails.
      hook.echoMode.set(EchoMode.DECRYPTED);
      Verification refused = wecom.verifyUrl(hook.url(), "AnotherToken", wecom.callbackAesKey());
      assertThat(refused.passed()).isFalse();
      assertThat(refused.body()).isEqualTo("bad signature");

      // The configured token and key are what the hub must be set up with.
      wecom.setCallbackConfig("OneMemberHub2024", "kU7vXq2Lr9Wd4Tm1Hc6BvYp3Ns8Ga5Jf0Ze7Qx2Rb4L");
      try (Hook configured = hook()) {
        assertThat(configured.token).isEqualTo("OneMemberHub2024");
        assertThat(wecom.verifyUrl(configured.url()).passed()).isTrue();
      }
      assertThat(wecom.verifyUrl(hook.url()).body()).isEqualTo("bad signature");
    }
  }

  @Test
  void callsBackCustomerEventsSignedAndEncrypted() throws Exception {
    try (Hook hook = hook()) {
      Follow wang =
          wecom.addContact(
              "zhangwei", "王芳", "王芳", List.of("13812345678"), UNIONID_WANG, "store0571");
      Delivery added = wecom.sendAddExternalContact(hook.url(), wang);
      assertThat(added.status()).isEqualTo(200);
      assertThat(added.answer()).isEqualTo("success");
      assertThat(added.counted()).isTrue();
      assertThat(added.attempt()).isEqualTo(1);
      assertThat(added.plain()).contains("<CreateTime>1733472000</CreateTime>");
      Map<String, String> event = opened(hook, added);
      assertThat(event.keySet())
          .containsExactly(
              "ToUserName",
              "FromUserName",
              "CreateTime",
              "MsgType",
              "Event",
              "ChangeType",
              "UserID",
              "ExternalUserID",
              "State",
              "WelcomeCode");
      assertThat(event)
          .containsEntry("ToUserName", CORP)
          .containsEntry("FromUserName", "sys")
          .containsEntry("CreateTime", "1733472000")
          .containsEntry("MsgType", "event")
          .containsEntry("Event", "change_external_contact")
          .containsEntry("ChangeType", "add_external_contact")
          .containsEntry("UserID", "zhangwei")
          .containsEntry("ExternalUserID", wang.externalUserid())
          .containsEntry("State", "store0571");
      assertThat(event.get("WelcomeCode")).matches("[A-Za-z0-9_-]{43}");

      at(T0.plusSeconds(30));
      Map<String, String> edited =
          opened(
              hook, wecom.sendEditExternalContact(hook.url(), "zhangwei", wang.externalUserid()));
      assertThat(edited)
          .containsEntry("ChangeType", "edit_external_contact")
          .containsEntry("CreateTime", "1733472030")
          .doesNotContainKey("State");

      Map<String, String> deleted =
          opened(
              hook,
              wecom.sendDelExternalContact(hook.url(), "zhangwei", wang.externalUserid(), true));
      assertThat(deleted)
          .containsEntry("ChangeType", "del_external_contact")
          .containsEntry("Source", "DELETE_BY_TRANSFER");
      assertThat(
              opened(
                  hook,
                  wecom.sendDelExternalContact(
                      hook.url(), "zhangwei", wang.externalUserid(), false)))
          .doesNotContainKey("Source");

      assertThat(
              opened(hook, wecom.sendDelFollowUser(hook.url(), "zhangwei", wang.externalUserid())))
          .containsEntry("ChangeType", "del_follow_user")
          .containsEntry("UserID", "zhangwei");

      Map<String, String> failed =
          opened(
              hook,
              wecom.sendTransferFail(
                  hook.url(), "wangfang", wang.externalUserid(), WeComServer.CUSTOMER_REFUSED));
      assertThat(failed.keySet())
          .containsExactly(
              "ToUserName",
              "FromUserName",
              "CreateTime",
              "MsgType",
              "Event",
              "ChangeType",
              "FailReason",
              "UserID",
              "ExternalUserID");
      assertThat(failed)
          .containsEntry("FailReason", "customer_refused")
          .containsEntry("UserID", "wangfang");

      CorpTag gold = wecom.addCorpTags("会员等级", "金卡").get(0);
      Map<String, String> tag =
          opened(hook, wecom.sendChangeExternalTag(hook.url(), gold.id(), "tag", "create"));
      assertThat(tag.keySet())
          .containsExactly(
              "ToUserName",
              "FromUserName",
              "CreateTime",
              "MsgType",
              "Event",
              "Id",
              "TagType",
              "ChangeType");
      assertThat(tag)
          .containsEntry("Event", "change_external_tag")
          .containsEntry("Id", gold.id())
          .containsEntry("TagType", "tag")
          .containsEntry("ChangeType", "create");

      Map<String, String> left = opened(hook, wecom.sendDeleteUser(hook.url(), "lina"));
      assertThat(left)
          .containsEntry("Event", "change_contact")
          .containsEntry("ChangeType", "delete_user")
          .containsEntry("UserID", "lina");

      // Any event, with text that must not end a CDATA section early.
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("Event", "change_external_contact");
      fields.put("ChangeType", "edit_external_contact");
      fields.put("UserID", "a]]>b <c> & 张伟");
      assertThat(opened(hook, wecom.callback(hook.url(), fields)))
          .containsEntry("UserID", "a]]>b <c> & 张伟");

      // Encrypted with another key, the hub cannot read it.
      Delivery foreign =
          wecom.callback(
              hook.url(),
              wecom.callbackToken(),
              "kU7vXq2Lr9Wd4Tm1Hc6BvYp3Ns8Ga5Jf0Ze7Qx2Rb4L",
              Map.of("Event", "change_contact"));
      String encrypt = xml(hook.take().body()).get("Encrypt");
      assertThatThrownBy(() -> WeComServer.decrypt(wecom.callbackAesKey(), CORP, encrypt))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(foreign.counted()).isTrue();
      assertThat(wecom.deliveries()).hasSize(10).allMatch(Delivery::counted);
    }
  }

  @Test
  void aCallbackCountsOnHttp200AndIsSentAgainOtherwise() throws Exception {
    try (Hook hook = hook()) {
      for (String body : List.of("success", "", "anything")) {
        hook.answer.set(body);
        Delivery d = wecom.sendDeleteUser(hook.url(), "lina");
        assertThat(d.counted()).as(body).isTrue();
        assertThat(d.answer()).isEqualTo(body);
      }
      assertThat(hook.received).hasSize(3);
      hook.received.clear();

      // Refused with 500: WeCom tries three more times, the same request each time.
      hook.status.set(500);
      Delivery last = wecom.sendDeleteUser(hook.url(), "lina");
      assertThat(last.counted()).isFalse();
      assertThat(last.status()).isEqualTo(500);
      assertThat(last.attempt()).isEqualTo(4);
      List<Delivery> attempts = wecom.deliveries().subList(3, 7);
      assertThat(attempts).extracting(Delivery::attempt).containsExactly(1, 2, 3, 4);
      assertThat(attempts).extracting(Delivery::sent).containsOnly(last.sent());
      assertThat(attempts).extracting(Delivery::query).containsOnly(last.query());
      assertThat(hook.received).hasSize(4);

      wecom.setCallbackRetries(0);
      hook.status.set(403);
      assertThat(wecom.sendDeleteUser(hook.url(), "lina").attempt()).isEqualTo(1);
      assertThat(wecom.deliveries()).hasSize(8);
    }
  }

  @Test
  void aCallbackWaitsFiveSecondsForTheAnswer() throws Exception {
    wecom.setCallbackRetries(0);
    try (Hook hook = hook()) {
      hook.delayMillis.set(5600);
      long started = System.nanoTime();
      Delivery late = wecom.sendDeleteUser(hook.url(), "lina");
      Duration waited = Duration.ofNanos(System.nanoTime() - started);
      assertThat(late.status()).isZero();
      assertThat(late.counted()).isFalse();
      assertThat(waited).isBetween(Duration.ofMillis(4900), Duration.ofMillis(6400));
      assertThat(hook.take().method()).isEqualTo("POST");
    }
  }

  @Test
  void sendRawSendsExactlyWhatItIsGivenOnce() throws Exception {
    try (Hook hook = hook()) {
      hook.status.set(500);
      Map<String, String> query = new LinkedHashMap<>();
      query.put("msg_signature", "0".repeat(40));
      query.put("timestamp", "1733400000");
      query.put("nonce", "415670741");
      query.put("echostr", null);
      Map<String, String> headers = new LinkedHashMap<>(WeComServer.callbackHeaders());
      headers.put("X-Probe", "xxe");
      headers.put("Content-Length", "1");
      headers.put("Host", "qyapi.weixin.qq.com");
      String xxe =
          "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
              + "<xml><ToUserName><![CDATA["
              + CORP
              + "]]></ToUserName><Encrypt>&e;</Encrypt></xml>";
      Delivery d = wecom.sendRaw(hook.url() + "?probe=1", query, headers, xxe);
      assertThat(d.counted()).isFalse();
      assertThat(d.plain()).isNull();
      assertThat(d.sent()).isEqualTo(xxe);
      assertThat(d.query()).containsOnlyKeys("msg_signature", "timestamp", "nonce");

      Received raw = hook.take();
      assertThat(raw.body()).isEqualTo(xxe);
      assertThat(raw.rawQuery())
          .isEqualTo(
              "probe=1&msg_signature=0000000000000000000000000000000000000000"
                  + "&timestamp=1733400000&nonce=415670741");
      assertThat(raw.headers().get("X-Probe")).isEqualTo("xxe");
      assertThat(raw.headers().get("Host")).startsWith("127.0.0.1:");
      assertThat(hook.received).isEmpty(); // no retry for raw requests

      hook.status.set(200);
      byte[] big = new byte[3 * 1024 * 1024];
      Arrays.fill(big, (byte) 'x');
      assertThat(wecom.sendRaw(hook.url(), Map.of(), Map.of(), big).status()).isEqualTo(200);
      assertThat(hook.take().body()).hasSize(big.length);
    }
  }

  // ---------------------------------------------------------------- test data

  @Test
  void generatesManyCustomersQuicklyAndTheSameForTheSameSeed() throws Exception {
    long started = System.nanoTime();
    List<Follow> generated = wecom.generate(100_000, 42);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    assertThat(generated).hasSize(100_000);
    Set<String> ids = new HashSet<>();
    Set<String> mobiles = new HashSet<>();
    for (Follow f : generated) {
      ids.add(f.externalUserid());
      mobiles.addAll(f.remarkMobiles());
      assertThat(f.remarkMobiles()).hasSizeLessThanOrEqualTo(1);
    }
    assertThat(ids).hasSize(100_000);
    assertThat(mobiles).hasSizeBetween(88_000, 92_000).allMatch(m -> m.matches("1[3-9]\\d{9}"));
    assertThat(generated.stream().map(f -> wecom.customer(f.externalUserid())))
        .allMatch(c -> c.name().matches("\\p{IsHan}{2,3}"))
        .allMatch(c -> c.unionid().matches("oZ9Fq5[A-Za-z0-9_-]{22}"))
        .allMatch(c -> c.type() == 1);
    int relationships =
        List.of("zhangwei", "lina", "wangfang").stream()
            .mapToInt(u -> wecom.follows(u).size())
            .sum();
    assertThat(relationships).isBetween(105_000, 108_000);

    // Generated customers are read like any other.
    Follow someone = generated.get(12_345);
    JsonNode page = batch(token(), List.of(someone.userid()), null, 100);
    assertThat(page.path("external_contact_list")).hasSize(100);

    try (WeComServer other = new WeComServer(CORP, SECRET)) {
      other.setClock(Clock.fixed(T0, ZoneOffset.UTC));
      other.addStaff("zhangwei", "张伟");
      other.addStaff("lina", "李娜");
      other.addStaff("wangfang", "王芳");
      List<Follow> again = other.generate(1000, 42);
      assertThat(again).isEqualTo(generated.subList(0, 1000));
      assertThat(again.stream().map(f -> other.customer(f.externalUserid())).toList())
          .isEqualTo(
              generated.subList(0, 1000).stream()
                  .map(f -> wecom.customer(f.externalUserid()))
                  .toList());
    }
  }

  @Test
  void refusesBadTestData() throws Exception {
    assertThatThrownBy(() -> new WeComServer("corp", SECRET))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> wecom.addStaff("zhangwei", "张伟"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> wecom.addStaff("张伟", "张伟"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> wecom.addContact("zhangwei", "王芳", "", List.of("12345"), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> wecom.addContact("zhangwei", "王芳", "", List.of(), "not-a-unionid"))
        .isInstanceOf(IllegalArgumentException.class);
    Follow wang = wecom.addContact("zhangwei", "王芳", "", List.of(), UNIONID_WANG);
    assertThatThrownBy(() -> wecom.addContact("zhangwei", "王芳", "", List.of(), UNIONID_WANG))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(wang.externalUserid());
    wecom.removeStaff("lina");
    assertThatThrownBy(() -> wecom.removeStaff("lina"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> wecom.addContact("lina", "李娜", "", List.of(), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> wecom.setCallbackConfig("token", "tooShort"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> wecom.addCorpTags("会员等级", "金卡", "金卡"))
        .isInstanceOf(IllegalArgumentException.class);
    try (WeComServer empty = new WeComServer(CORP, SECRET)) {
      assertThatThrownBy(() -> empty.generate(10, 1)).isInstanceOf(IllegalStateException.class);
    }
  }
}
