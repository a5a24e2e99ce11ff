package com.onemember.connectors.woocommerce;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.time.ZoneOffset.UTC;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local stand-in for one WooCommerce shop's REST API ({@code /wp-json/wc/v3}) and the webhooks it
 * sends, over a real socket, so that the WooCommerce connector is tested against the wire protocol
 * of a real WordPress site and not against mocks of our own client.
 *
 * <p>It imitates WooCommerce {@value #WOOCOMMERCE_VERSION} on WordPress {@value #WORDPRESS_VERSION}
 * as their source code behaves, including the parts a connector trips over:
 *
 * <ul>
 *   <li><b>Authentication</b> with a REST API key, as on an HTTPS site (the plain HTTP of this
 *       server stands for TLS ended in front of WordPress): {@code consumer_key} and {@code
 *       consumer_secret} query parameters (looked at first) or HTTP Basic. An unknown key is not an
 *       error of its own: WooCommerce then treats the caller as anonymous, and the route's
 *       permission check answers 401 {@code woocommerce_rest_cannot_view} ("Sorry, you cannot list
 *       resources."). Only a known key with the wrong secret gets {@code
 *       woocommerce_rest_authentication_error} "Consumer secret is invalid.", for any route.
 *       ("Consumer key is invalid." exists only in WooCommerce's OAuth 1.0a path for plain-HTTP
 *       sites, which is not imitated.) A key's permissions can be made read- or write-only.
 *   <li><b>WordPress's request order</b>: fault, authentication error, key permissions, route (404
 *       {@code rest_no_route}), parameter validation (400 {@code rest_invalid_param} with {@code
 *       params} and {@code details}), then the route's permission check (401), then the handler.
 *   <li><b>Customers</b> in the wc/v3 shape; dates without offset, {@code date_*} in the site's
 *       time zone and {@code date_*_gmt} in UTC, to the second. Paging with {@code page}/{@code
 *       per_page} (1..{@value #MAX_PER_PAGE}), {@code X-WP-Total}, {@code X-WP-TotalPages} and a
 *       {@code Link} header built like WordPress's {@code add_query_arg}: every query parameter of
 *       the request is copied into it, credentials included, and values are decoded twice, so a
 *       {@code +} in a value (a {@code +08:00} offset) comes back as a space. Sorting by {@code
 *       name} (display name), {@code id}, {@code include} or {@code registered_date}; ties are
 *       broken by id here, where MySQL would leave them in any order. Filters: {@code include},
 *       {@code exclude}, {@code email}, {@code search}, {@code role} (default {@code customer})
 *       and, unless {@link #honourModifiedAfter} is off, {@code modified_after} with {@code
 *       dates_are_gmt}.
 *   <li><b>{@code modified_after}</b> is not a parameter of WooCommerce core's customers endpoint
 *       (core ignores it and answers everyone); the switch imitates endpoints that have it, with
 *       {@code WP_Date_Query}'s semantics: strictly after, to the second; a value without offset is
 *       compared as it stands with the site-time column ({@code date_modified}) or, with {@code
 *       dates_are_gmt=true}, with the GMT column; a value with an offset is first converted to the
 *       <em>site</em> time zone and then compared with whichever column {@code dates_are_gmt}
 *       picks, so "...Z" with {@code dates_are_gmt=true} is off by the site's offset, as in
 *       WordPress.
 *   <li><b>Updates</b> ({@code PUT}, {@code POST} or {@code PATCH} on {@code /customers/{id}}) as
 *       {@code WC_REST_Customers_V2_Controller} does them, {@code meta_data} by {@code
 *       WC_Data::update_meta_data}: an entry with a known {@code id} gets the key and value; an
 *       entry with an unknown id replaces every entry of its key by one new entry; an entry without
 *       id sets the first entry of its key and deletes the others, or adds one; a {@code null}
 *       value deletes. A scalar meta value is stored as WordPress stores user meta, as a string
 *       ({@code 5} comes back {@code "5"}, {@code true} as {@code "1"}), and an empty object comes
 *       back as {@code []}. Every successful update moves {@code date_modified}, even one that
 *       changes nothing (WordPress fires {@code profile_update} on every save), and fires {@code
 *       customer.updated}. {@code DELETE /customers/{id}?force=true} deletes and fires {@code
 *       customer.deleted}; without {@code force} it is 501, as customers cannot be trashed.
 *   <li><b>JSON as PHP writes it</b>: answers and webhook bodies are {@code wp_json_encode}d, so
 *       {@code /} is written <code>&#92;/</code> and every non-ASCII character as a JSON escape (王
 *       as <code>&#92;u738b</code>); a receiver that re-serializes the body before checking the
 *       signature fails, as it would in production.
 *   <li><b>Webhooks</b>, listed and managed under {@code /webhooks}, delivered as {@code
 *       WC_Webhook::deliver} does: signed with HMAC-SHA256 of the exact body, {@code
 *       X-WC-Webhook-Delivery-ID} is {@code wp_hash(webhook id . current second)}, so two
 *       deliveries of one webhook within a second carry the same id (a receiver must not use it to
 *       drop duplicates). Deliveries caused by API writes go out asynchronously after the answer,
 *       like Action Scheduler, and one pending delivery per webhook and customer is enough, as
 *       there. The body is built when the delivery is made, from the customer as it is then.
 *       Answers 200 to 302 count as success; otherwise {@code failure_count} grows, and a failure
 *       that finds it already above {@value #MAX_DELIVERY_FAILURES} disables the webhook: with the
 *       default of 5, the seventh consecutive failure does ({@code WC_Webhook::failed_delivery}). A
 *       webhook created with {@code POST /webhooks} is pinged before the answer, and the ping needs
 *       exactly 200.
 *   <li><b>Failures</b> on demand ({@link #failNext}): what a host, proxy or WordPress itself
 *       answers, HTML pages for 502/503/504, WordPress's JSON for a fatal error (500).
 * </ul>
 *
 * <p>Left out on purpose: OAuth 1.0a, orders and products, creating customers ({@code POST
 * /customers}) and deleting webhooks through the API, {@code /customers/batch}, {@code _embed},
 * {@code context} filtering and any persistence; such requests get {@code rest_no_route}. Customers
 * created or changed through the test methods ({@link #create}, {@link #update}, {@link #addMeta})
 * send no webhook; a test says which one a change should bring with {@link #sendWebhook}.
 */
public final class WooCommerceServer implements AutoCloseable {

  /**
   * The REST API key's consumer key, shown once in WooCommerce › Settings › Advanced › REST API.
   */
  public static final String CONSUMER_KEY = "ck_7d3f9a2c5e8b1d4f6a0c3e7b9d2f5a8c1e4b6d90";

  public static final String CONSUMER_SECRET = "cs_2b8e5c1f9d4a7e3b6c0f8a2d5e9b1c4f7a3d6e21";

  /**
   * The secret of webhooks made by {@link #addWebhook}, {@link #notifyChangesTo} and {@link
   * #sendWebhook}; like {@code wp_generate_password(…, true, true)}, but without characters that
   * WordPress would HTML-encode in the stored secret.
   */
  public static final String WEBHOOK_SECRET = "h7K(q2Vz!Rm9#Wp4$Tc8^Ly3*Nd6)Bx1@Fs5";

  /** The REST API of WooCommerce, below {@link #baseUrl()}. */
  public static final String API_PATH = "/wp-json/wc/v3";

  public static final String WOOCOMMERCE_VERSION = "9.4.2";
  public static final String WORDPRESS_VERSION = "6.7.1";

  /** The User-Agent of webhook deliveries and pings. */
  public static final String USER_AGENT =
      "WooCommerce/" + WOOCOMMERCE_VERSION + " Hookshot (WordPress/" + WORDPRESS_VERSION + ")";

  /** The largest {@code per_page} the API accepts. */
  public static final int MAX_PER_PAGE = 100;

  /** {@code woocommerce_max_webhook_delivery_failures}; see the class comment for its meaning. */
  public static final int MAX_DELIVERY_FAILURES = 5;

  /** The id of the first customer (lower WordPress user ids would be the shop's staff). */
  public static final long FIRST_CUSTOMER_ID = 1001;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** {@code wp_json_encode} without flags, as WordPress answers and WooCommerce signs. */
  private static final JsonMapper PHP_JSON =
      JsonMapper.builder()
          .enable(JsonWriteFeature.ESCAPE_NON_ASCII, JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
          .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
          .build();

  private static final DateTimeFormatter WP_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

  /** {@code rest_parse_date}'s pattern for a {@code date-time} parameter. */
  private static final Pattern DATE_TIME =
      Pattern.compile(
          "(\\d{4}-\\d{2}-\\d{2})[Tt ](\\d{2}:\\d{2}:\\d{2})(?:\\.\\d+)?(Z|z|[+-]\\d{2}(?::\\d{2})?)?");

  private static final Pattern INTEGER = Pattern.compile("-?\\d+");
  private static final Pattern LEADING_DIGITS = Pattern.compile("^-?(\\d{1,18})");
  private static final Pattern NOT_IN_USERNAME = Pattern.compile("[^a-z0-9 _.\\-@]");
  private static final Pattern CUSTOMER_ROUTE =
      Pattern.compile("/wc/v3/customers/(\\d+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern WEBHOOK_ROUTE =
      Pattern.compile("/wc/v3/webhooks/(\\d+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern EMAIL =
      Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+");

  private static final List<String> ROLES =
      List.of(
          "administrator",
          "editor",
          "author",
          "contributor",
          "subscriber",
          "customer",
          "shop_manager");

  /** Roles whose e-mail the customers endpoint may change (WooCommerce 9.5.2 and later). */
  private static final Set<String> CUSTOMER_ROLES = Set.of("customer", "subscriber");

  private static final List<String> WEBHOOK_STATUSES = List.of("active", "paused", "disabled");

  /** {@code WC_Webhook::get_default_topic_hooks}; its keys are the valid topics. */
  private static final Map<String, List<String>> TOPIC_HOOKS = topicHooks();

  private static final List<String> ADDRESS_FIELDS =
      List.of(
          "first_name",
          "last_name",
          "company",
          "address_1",
          "address_2",
          "city",
          "state",
          "postcode",
          "country",
          "email",
          "phone");

  /** The salt {@code wp_hash} uses for delivery ids (AUTH_KEY . AUTH_SALT of wp-config.php). */
  private static final String AUTH_SALT = "Zq@8r!Lk3$Vw9^Mn2*Tb6(Hs1)Jd5#Pf4";

  /** Headers java.net.http sets itself and refuses from callers; {@link #sendRaw} skips them. */
  private static final Set<String> RESTRICTED_HEADERS =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  private final HttpServer server;
  private final ExecutorService workers;

  /** Delivers webhooks in the background, one after the other, as Action Scheduler's queue. */
  private final ExecutorService actionScheduler;

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private final TreeMap<Long, Customer> customers = new TreeMap<>();
  private final Map<String, Long> emails = new HashMap<>();
  private final Set<String> usernames = new HashSet<>();
  private final TreeMap<Long, Hook> webhooks = new TreeMap<>();
  private final Set<String> pendingDeliveries = new HashSet<>();
  private final List<String> requestLog = new ArrayList<>();
  private final List<String> deliveryLog = new ArrayList<>();

  private long nextCustomerId = FIRST_CUSTOMER_ID;
  private long nextMetaId = 8601;
  private long nextWebhookId = 1;
  private long notifyingWebhook;
  private int requests;
  private int updates;

  /** Grows with every change of a customer, so that a cached sorted result is not reused. */
  private long version;

  private Matches lastMatches;
  private Clock clock = Clock.systemUTC();
  private ZoneId timeZone = ZoneId.of("Asia/Shanghai");
  private boolean honourModifiedAfter = true;
  private String keyPermissions = "read_write";
  private int faultsLeft;
  private int faultStatus;
  private String faultRetryAfter;

  /** Starts the shop on a free port of 127.0.0.1. */
  public WooCommerceServer() throws IOException {
    workers = Executors.newCachedThreadPool(daemon("woocommerce-http"));
    actionScheduler = Executors.newSingleThreadExecutor(daemon("woocommerce-action-scheduler"));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(workers); // PHP-FPM has several workers: a webhook receiver may call back
    server.start();
  }

  /** The site's address, {@code http://127.0.0.1:<port>}, without a trailing slash. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** {@link #baseUrl()} with {@link #API_PATH}. */
  public String apiUrl() {
    return baseUrl() + API_PATH;
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
    actionScheduler.shutdownNow();
  }

  // ---------------------------------------------------------------- the shop's data, for tests

  /**
   * Adds a customer as a checkout would: the next id, the username WooCommerce derives from the
   * e-mail, billing and shipping with this name, a Chinese address and (billing only) the phone and
   * e-mail; created and modified now by the server's clock.
   *
   * @param phone as the customer typed it, e.g. {@code 13812345678} or {@code +86 138 1234 5678}
   * @param email null or empty for none (WooCommerce itself requires one)
   * @throws IllegalArgumentException if another customer has the e-mail, as WordPress refuses
   */
  public synchronized Customer create(
      String lastName, String firstName, String phone, String email) {
    String mail = email == null ? "" : email.trim();
    if (!mail.isEmpty() && emails.containsKey(mail.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("An account is already registered with " + mail);
    }
    Customer c = new Customer();
    c.id = nextCustomerId++;
    c.email = mail;
    c.firstName = Objects.requireNonNullElse(firstName, "");
    c.lastName = Objects.requireNonNullElse(lastName, "");
    c.username = username(mail, new Random(c.id));
    c.displayName = displayName(c.firstName, c.lastName, c.username);
    String[] place = PLACES[(int) (c.id % PLACES.length)];
    String street = STREETS[(int) (c.id % STREETS.length)] + (c.id % 300 + 1) + "号";
    for (Address a : List.of(c.billing, c.shipping)) {
      a.firstName = c.firstName;
      a.lastName = c.lastName;
      a.address1 = place[2] + street;
      a.city = place[1];
      a.state = place[0];
      a.postcode = place[3];
      a.country = "CN";
    }
    c.billing.email = mail;
    c.billing.phone = Objects.requireNonNullElse(phone, "");
    c.dateCreated = now();
    c.dateModified = c.dateCreated;
    add(c);
    return c;
  }

  /**
   * Changes a customer as the shop's admin would, then moves {@code date_modified} to now. Sends no
   * webhook (see the class comment).
   */
  public synchronized void update(long id, Consumer<Customer> change) {
    Customer c = existing(id);
    String email = c.email;
    change.accept(c);
    reindex(c, email);
    c.dateModified = now();
    version++;
  }

  /**
   * Adds a meta entry with the next meta id, as a plugin calling {@code add_user_meta} would:
   * {@code date_modified} stays (WooCommerce moves it on saves and on updates of name and address
   * meta only), so such a change is invisible to {@code modified_after}. A scalar value is stored
   * as a string (see the class comment).
   *
   * @param value a String, Number, Boolean, List, Map or JsonNode
   * @return the meta id
   */
  public synchronized long addMeta(long customerId, String key, Object value) {
    Customer c = existing(customerId);
    Meta meta = new Meta(nextMetaId++, key, stored(JSON.valueToTree(value)));
    c.metaData.add(meta);
    version++;
    return meta.id();
  }

  /** Deletes a customer: the API no longer finds it. Sends no webhook. */
  public synchronized void delete(long id) {
    Customer c = customers.remove(id);
    if (c != null) {
      emails.remove(c.email.toLowerCase(Locale.ROOT));
      version++;
    }
  }

  /** The live customer (change it through {@link #update}), or null. */
  public synchronized Customer customer(long id) {
    return customers.get(id);
  }

  /** All customers, by id. */
  public synchronized List<Customer> customers() {
    return new ArrayList<>(customers.values());
  }

  /**
   * Adds {@code count} realistic customers of a Chinese tea shop, the same for the same seed and
   * fast enough for a 100,000-customer bench. E-mails and usernames are unique, as WordPress
   * requires; phones are mainland mobiles written as customers type them (mostly {@code
   * 13812345678}, sometimes with {@code +86} or {@code 86}, a few empty) and may repeat, as in a
   * real shop. Created within the last three years; about half modified since; most carry {@code
   * wc_last_active} meta, some a {@code billing_birthday} from a checkout-field plugin.
   */
  public synchronized void generate(int count, long seed) {
    Random random = new Random(seed);
    Instant now = now();
    for (int i = 0; i < count; i++) {
      int s = random.nextInt(SURNAMES.length);
      // one or two characters; the names are shared strings, which keeps 100,000 customers small
      int g =
          random.nextInt(4) == 0
              ? random.nextInt(GIVEN.length)
              : random.nextInt(GIVEN_NAMES.length);
      String mobile =
          "1"
              + MOBILE_PREFIXES[random.nextInt(MOBILE_PREFIXES.length)]
              + Integer.toString(100_000_000 + random.nextInt(100_000_000)).substring(1);
      String email = uniqueEmail(random, SURNAME_PINYIN[s], GIVEN_NAMES_PINYIN[g], mobile);

      Customer c = new Customer();
      c.id = nextCustomerId++;
      c.email = email;
      c.firstName = GIVEN_NAMES[g];
      c.lastName = SURNAMES[s];
      c.username = username(email, random);
      c.displayName = c.lastName + c.firstName;
      c.payingCustomer = random.nextInt(100) < 65;
      c.dateCreated = now.minusSeconds(30L * 86400 + random.nextInt(1000 * 86400));
      long age = Duration.between(c.dateCreated, now).getSeconds();
      c.dateModified =
          random.nextBoolean() ? c.dateCreated : c.dateCreated.plusSeconds(random.nextLong(age));

      String[] place = PLACES[random.nextInt(PLACES.length)];
      Address b = c.billing;
      b.firstName = c.firstName;
      b.lastName = c.lastName;
      b.address1 =
          place[2] + STREETS[random.nextInt(STREETS.length)] + (1 + random.nextInt(800)) + "号";
      if (random.nextInt(3) == 0) {
        b.address2 =
            (1 + random.nextInt(30))
                + "栋"
                + (1 + random.nextInt(4))
                + "单元"
                + (101 + random.nextInt(2800))
                + "室";
      }
      if (random.nextInt(25) == 0) {
        b.company = place[1].substring(0, place[1].length() - 1) + COMPANIES[random.nextInt(3)];
      }
      b.city = place[1];
      b.state = place[0];
      b.postcode = place[3];
      b.country = "CN";
      b.email = email;
      int format = random.nextInt(100);
      b.phone =
          format < 5 ? "" : format < 75 ? mobile : format < 95 ? "+86" + mobile : "86" + mobile;
      if (random.nextBoolean()) { // has shipped physical goods: shipping filled in at checkout
        Address h = c.shipping;
        h.firstName = b.firstName;
        h.lastName = b.lastName;
        h.company = b.company;
        h.address1 = b.address1;
        h.address2 = b.address2;
        h.city = b.city;
        h.state = b.state;
        h.postcode = b.postcode;
        h.country = "CN";
        h.phone = random.nextInt(3) == 0 ? b.phone : "";
      }
      if (random.nextInt(10) < 7) {
        long day = c.dateModified.getEpochSecond() / 86400;
        long active = day + random.nextInt((int) (now.getEpochSecond() / 86400 - day + 1));
        c.metaData.add(
            new Meta(nextMetaId++, "wc_last_active", text(Long.toString(active * 86400))));
      }
      if (random.nextInt(10) == 0) {
        int month = 1 + random.nextInt(12);
        int day = 1 + random.nextInt(28);
        String birthday =
            (1960 + random.nextInt(46))
                + (month < 10 ? "-0" : "-")
                + month
                + (day < 10 ? "-0" : "-")
                + day;
        c.metaData.add(new Meta(nextMetaId++, "billing_birthday", text(birthday)));
      }
      add(c);
    }
  }

  /** The clock for created and modified times, webhook dates and delivery ids. */
  public synchronized void setClock(Clock clock) {
    this.clock = clock;
  }

  /** The site's time zone (Settings › General › Timezone); Asia/Shanghai unless set. */
  public synchronized void setTimeZone(ZoneId timeZone) {
    this.timeZone = timeZone;
    version++;
  }

  /**
   * Whether {@code GET /customers} knows {@code modified_after} and {@code dates_are_gmt} (default
   * true). Off, it ignores both entirely and answers all customers, as WooCommerce core does.
   */
  public synchronized void honourModifiedAfter(boolean honour) {
    this.honourModifiedAfter = honour;
  }

  /** The API key's permissions: {@code read}, {@code write} or {@code read_write} (default). */
  public synchronized void setKeyPermissions(String permissions) {
    if (!List.of("read", "write", "read_write").contains(permissions)) {
      throw new IllegalArgumentException("Unknown key permissions " + permissions);
    }
    this.keyPermissions = permissions;
  }

  // ---------------------------------------------------------------- what tests observe

  /**
   * The next {@code times} requests to {@value #API_PATH} are answered with HTTP {@code status},
   * with a {@code Retry-After} header when {@code retryAfter} is not null, before anything else is
   * looked at, as a host or proxy in front of WordPress answers: 429 WordPress-style JSON, 500
   * WordPress's fatal-error JSON, 503 WordPress's maintenance page, other 5xx a proxy's HTML page,
   * other 4xx JSON.
   */
  public synchronized void failNext(int times, int status, String retryAfter) {
    faultsLeft = times;
    faultStatus = status;
    faultRetryAfter = retryAfter;
  }

  /** Requests to {@value #API_PATH} so far, refused and failed ones included. */
  public synchronized int requests() {
    return requests;
  }

  /**
   * Each request to {@value #API_PATH} as "METHOD path?query", with the path and query exactly as
   * sent (still URL-encoded), e.g. {@code GET /wp-json/wc/v3/customers?page=2&per_page=100}.
   */
  public synchronized List<String> requestLog() {
    return List.copyOf(requestLog);
  }

  /** Customer updates the API accepted. */
  public synchronized int updates() {
    return updates;
  }

  /**
   * Each webhook delivery made, in order, as "webhook 1 customer.updated 1001 -> 200" ("-> failed:
   * ..." when the receiver could not be reached); pings and {@link #sendRaw} are not deliveries.
   */
  public synchronized List<String> deliveryLog() {
    return List.copyOf(deliveryLog);
  }

  // ---------------------------------------------------------------- webhooks, for tests

  /**
   * Adds an active webhook signed with {@link #WEBHOOK_SECRET}, as the shop's admin would in
   * WooCommerce › Settings › Advanced › Webhooks; no ping is sent (see {@link #sendPing}).
   *
   * @return its id
   */
  public synchronized long addWebhook(String topic, String deliveryUrl) {
    if (!TOPIC_HOOKS.containsKey(topic) || !validUrl(deliveryUrl)) {
      throw new IllegalArgumentException("Invalid webhook " + topic + " -> " + deliveryUrl);
    }
    return newWebhook(null, topic, deliveryUrl, WEBHOOK_SECRET).id;
  }

  /** Sets a webhook's status: {@code active}, {@code paused} or {@code disabled}. */
  public synchronized void setWebhookStatus(long id, String status) {
    if (!WEBHOOK_STATUSES.contains(status)) {
      throw new IllegalArgumentException("Unknown webhook status " + status);
    }
    Hook hook = webhooks.get(id);
    if (hook == null) {
      throw new IllegalArgumentException("No webhook " + id);
    }
    hook.status = status;
    hook.dateModified = now();
  }

  /** The webhook as it is now, or null. */
  public synchronized Webhook webhook(long id) {
    Hook hook = webhooks.get(id);
    return hook == null ? null : hook.snapshot();
  }

  /** All webhooks as they are now, by id. */
  public synchronized List<Webhook> webhooks() {
    return webhooks.values().stream().map(Hook::snapshot).toList();
  }

  /**
   * Makes the shop tell {@code hookUrl} about every customer the API changes: an active {@code
   * customer.updated} webhook for it (the one made by the previous call goes); null removes it.
   * Like every active webhook of the topic, it gets a delivery after each successful update through
   * the API, from another thread after the answer.
   */
  public synchronized void notifyChangesTo(String hookUrl) {
    Hook previous = webhooks.get(notifyingWebhook);
    if (previous != null && previous.deliveryUrl.equals(hookUrl)) {
      previous.status = "active";
      return;
    }
    if (previous != null) {
      webhooks.remove(previous.id);
    }
    notifyingWebhook = hookUrl == null ? 0 : addWebhook("customer.updated", hookUrl);
  }

  /**
   * Delivers {@code topic} about a customer now, as {@code WC_Webhook::deliver} would for the
   * shop's webhook of this topic and URL (an active one is added if there is none), and counts the
   * answer toward disabling the webhook. For {@code customer.created} and {@code customer.updated}
   * the body is {@code GET /customers/{id}}'s, or its error if the customer is gone; for {@code
   * customer.deleted} it is {@code {"id":N}}.
   *
   * @return the receiver's HTTP status
   * @throws IllegalStateException if the webhook is paused or disabled: WooCommerce would not send
   * @throws IOException if the receiver cannot be reached (counted as a failed delivery)
   */
  public int sendWebhook(String hookUrl, String topic, long customerId) throws IOException {
    if (!topic.startsWith("customer.") || !TOPIC_HOOKS.containsKey(topic)) {
      throw new IllegalArgumentException("This shop only delivers customer topics: " + topic);
    }
    Delivery delivery;
    synchronized (this) {
      Hook hook =
          webhooks.values().stream()
              .filter(h -> h.topic.equals(topic) && h.deliveryUrl.equals(hookUrl))
              .min(Comparator.comparing((Hook h) -> !h.status.equals("active")))
              .orElseGet(() -> newWebhook(null, topic, hookUrl, WEBHOOK_SECRET));
      if (!hook.status.equals("active")) {
        throw new IllegalStateException(
            "Webhook " + hook.id + " is " + hook.status + ": WooCommerce does not deliver it");
      }
      delivery = delivery(hook, customerId);
    }
    return deliver(delivery);
  }

  /**
   * Sends the ping WooCommerce sends when a webhook is saved active for the first time: a POST of
   * {@code webhook_id=<id>} as {@code application/x-www-form-urlencoded}, with the User-Agent but
   * no signature or topic headers. WooCommerce saves the webhook only if the answer is exactly 200
   * (not 201, 202 or 204).
   *
   * @return the receiver's HTTP status
   */
  public int sendPing(String hookUrl, long webhookId) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("User-Agent", USER_AGENT);
    headers.put("Content-Type", "application/x-www-form-urlencoded");
    return sendRaw(hookUrl, headers, ("webhook_id=" + webhookId).getBytes(UTF_8));
  }

  /**
   * POSTs exactly these headers and bytes (for bad signatures, replays, oversized bodies); headers
   * with a null value, and those java.net.http sets itself (Content-Length, Host...), are skipped.
   * Not a delivery: no webhook's failure count changes.
   *
   * @return the receiver's HTTP status
   */
  public int sendRaw(String hookUrl, Map<String, String> headers, byte[] body) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(hookUrl))
            .timeout(Duration.ofMinutes(1)) // WooCommerce waits MINUTE_IN_SECONDS
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(
        (name, value) -> {
          if (value != null && !RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            request.header(name, value);
          }
        });
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted sending a webhook to " + hookUrl);
    }
  }

  /** {@code X-WC-Webhook-Signature} of {@code body} with {@link #WEBHOOK_SECRET}. */
  public static String signature(byte[] body) {
    return signature(body, WEBHOOK_SECRET);
  }

  /**
   * Base64 of HMAC-SHA256 of the raw body, keyed with the webhook's secret, as WooCommerce signs.
   */
  public static String signature(byte[] body, String secret) {
    return Base64.getEncoder().encodeToString(hmac("HmacSHA256", secret, body));
  }

  /** The body a delivery of {@code topic} about the customer would have now (see sendWebhook). */
  public synchronized byte[] webhookBody(String topic, long customerId) {
    return php(payload(topic, customerId));
  }

  /**
   * The headers webhook {@code webhookId} would send now with {@code body}, User-Agent included,
   * for replays through {@link #sendRaw}.
   */
  public synchronized Map<String, String> webhookHeaders(long webhookId, byte[] body) {
    Hook hook = webhooks.get(webhookId);
    if (hook == null) {
      throw new IllegalArgumentException("No webhook " + webhookId);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("User-Agent", USER_AGENT);
    headers.put("Content-Type", "application/json");
    headers.put("X-WC-Webhook-Source", baseUrl() + "/");
    headers.put("X-WC-Webhook-Topic", hook.topic);
    headers.put("X-WC-Webhook-Resource", resource(hook.topic));
    headers.put("X-WC-Webhook-Event", event(hook.topic));
    headers.put("X-WC-Webhook-Signature", signature(body, hook.secret));
    headers.put("X-WC-Webhook-ID", Long.toString(hook.id));
    String time = Long.toString(Instant.now(clock).getEpochSecond());
    headers.put(
        "X-WC-Webhook-Delivery-ID",
        HexFormat.of().formatHex(hmac("HmacMD5", AUTH_SALT, bytes(hook.id + time))));
    return headers;
  }

  // ---------------------------------------------------------------- delivering

  private record Delivery(
      long webhookId,
      String topic,
      long resourceId,
      String url,
      Map<String, String> headers,
      byte[] body) {}

  /** What {@code WC_Webhook::deliver} sends now for {@code hook}; under the lock. */
  private Delivery delivery(Hook hook, long resourceId) {
    byte[] body = php(payload(hook.topic, resourceId));
    return new Delivery(
        hook.id, hook.topic, resourceId, hook.deliveryUrl, webhookHeaders(hook.id, body), body);
  }

  /** Sends without the lock (the receiver may call the API), then logs as WooCommerce does. */
  private int deliver(Delivery d) throws IOException {
    int status;
    try {
      status = sendRaw(d.url(), d.headers(), d.body());
    } catch (IOException e) {
      logDelivery(d, 0, "failed: " + e);
      throw e;
    }
    logDelivery(d, status, Integer.toString(status));
    return status;
  }

  /** {@code WC_Webhook::log_delivery} and {@code failed_delivery}. */
  private synchronized void logDelivery(Delivery d, int status, String outcome) {
    deliveryLog.add(
        "webhook " + d.webhookId() + " " + d.topic() + " " + d.resourceId() + " -> " + outcome);
    Hook hook = webhooks.get(d.webhookId());
    if (hook == null) {
      return;
    }
    if (status >= 200 && status < 303) {
      hook.failureCount = 0;
    } else if (hook.failureCount > MAX_DELIVERY_FAILURES) {
      hook.status = "disabled";
    } else {
      hook.failureCount++;
    }
    hook.dateModified = now();
  }

  /**
   * Queues deliveries of {@code topic} about a customer to every active webhook of the topic, once
   * per webhook and customer while one is pending, as {@code wc_webhook_process_delivery} does.
   */
  private void schedule(String topic, long customerId) {
    List<Long> ids;
    synchronized (this) {
      ids =
          webhooks.values().stream()
              .filter(h -> h.topic.equals(topic) && h.status.equals("active"))
              .map(h -> h.id)
              .filter(id -> pendingDeliveries.add(id + "/" + customerId))
              .toList();
    }
    for (long id : ids) {
      actionScheduler.execute(() -> runScheduled(id, customerId));
    }
  }

  private void runScheduled(long webhookId, long customerId) {
    Delivery delivery;
    synchronized (this) {
      pendingDeliveries.remove(webhookId + "/" + customerId);
      Hook hook = webhooks.get(webhookId);
      if (hook == null || !hook.status.equals("active")) {
        return;
      }
      delivery = delivery(hook, customerId);
    }
    try {
      deliver(delivery);
    } catch (IOException e) {
      // logged as a failed delivery, as WooCommerce logs an unreachable URL
    }
  }

  private JsonNode payload(String topic, long resourceId) {
    if (event(topic).equals("deleted")) {
      return JSON.createObjectNode().put("id", resourceId);
    }
    if (!resource(topic).equals("customer")) {
      throw new IllegalArgumentException("This shop has no " + resource(topic) + " data");
    }
    Customer c = customers.get(resourceId);
    return c != null ? customerJson(c) : errorBody(404, "wc_user_invalid_id", "Invalid user ID.");
  }

  private Hook newWebhook(String name, String topic, String deliveryUrl, String secret) {
    Hook hook = new Hook();
    hook.id = nextWebhookId++;
    hook.dateCreated = now();
    hook.dateModified = hook.dateCreated;
    hook.name =
        name != null && !name.isEmpty()
            ? name
            : "Webhook created on "
                + DateTimeFormatter.ofPattern("MMM dd, yyyy @ hh:mm a", Locale.ENGLISH)
                    .format(hook.dateCreated.atZone(UTC));
    hook.topic = topic;
    hook.deliveryUrl = deliveryUrl;
    hook.secret = secret;
    webhooks.put(hook.id, hook);
    return hook;
  }

  // ---------------------------------------------------------------- HTTP

  /** One request, with the method after {@code _method} or {@code X-HTTP-Method-Override}. */
  private static final class Call {
    final String httpMethod;
    final String method;
    final String path;
    final String rawPath;
    final String rawQuery;
    final Query query;
    final Headers headers;
    final byte[] body;
    boolean authenticated;
    ObjectNode params;

    Call(HttpExchange exchange, byte[] body) {
      httpMethod = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      URI uri = exchange.getRequestURI();
      path = uri.getPath();
      rawPath = uri.getRawPath();
      rawQuery = uri.getRawQuery();
      query = Query.parse(rawQuery);
      headers = exchange.getRequestHeaders();
      this.body = body;
      String override = query.string("_method");
      if (override == null) {
        override = headers.getFirst("X-HTTP-Method-Override");
      }
      method =
          httpMethod.equals("POST") && override != null
              ? override.toUpperCase(Locale.ROOT)
              : httpMethod;
    }

    /**
     * The request's parameters as {@code WP_REST_Request::get_param} sees them: the query, then the
     * body (JSON or form) over it; an answer instead when the JSON body does not parse.
     */
    Reply readParams() {
      params = query.toJson();
      String type = Objects.requireNonNullElse(headers.getFirst("Content-Type"), "");
      String mime = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (body.length == 0) {
        return null;
      }
      if (mime.equals("application/json") || mime.endsWith("+json")) {
        try {
          JsonNode json = JSON.readTree(body);
          if (json != null && json.isObject()) {
            params.setAll((ObjectNode) json);
          }
          return null;
        } catch (JacksonException e) {
          ObjectNode error = errorBody(400, "rest_invalid_json", "Invalid JSON body passed.");
          ((ObjectNode) error.get("data"))
              .put("json_error_code", 4)
              .put("json_error_message", "Syntax error");
          return Reply.json(400, error);
        }
      }
      if (mime.equals("application/x-www-form-urlencoded")) {
        params.setAll(Query.parse(new String(body, UTF_8)).toJson());
      }
      return null;
    }
  }

  /** An answer; deliveries are queued and the ping sent as WooCommerce orders them. */
  private static final class Reply {
    final int status;
    final String contentType;
    final byte[] body;
    final Map<String, String> headers = new LinkedHashMap<>();
    String deliverTopic;
    long deliverAbout;
    String pingUrl;
    long pingWebhook;

    Reply(int status, String contentType, byte[] body) {
      this.status = status;
      this.contentType = contentType;
      this.body = body;
    }

    static Reply json(int status, JsonNode body) {
      return new Reply(status, "application/json; charset=UTF-8", php(body));
    }

    static Reply html(int status, String page) {
      return new Reply(status, "text/html; charset=UTF-8", page.getBytes(UTF_8));
    }

    Reply header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    Reply thenDeliver(String topic, long customerId) {
      deliverTopic = topic;
      deliverAbout = customerId;
      return this;
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      Reply reply;
      try {
        reply = reply(new Call(exchange, exchange.getRequestBody().readAllBytes()));
      } catch (RuntimeException e) { // a bug here: answer as WordPress's fatal-error handler would
        reply = criticalError();
      }
      if (reply.pingUrl != null) { // WC_REST_Webhooks_V1_Controller::create_item pings first
        try {
          sendPing(reply.pingUrl, reply.pingWebhook);
        } catch (IOException e) {
          // WooCommerce ignores the ping's outcome here
        }
      }
      Headers headers = exchange.getResponseHeaders();
      headers.set("Content-Type", reply.contentType);
      reply.headers.forEach(headers::set);
      boolean empty = reply.body.length == 0 || exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(reply.status, empty ? -1 : reply.body.length);
      if (!empty) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(reply.body);
        }
      }
      if (reply.deliverTopic != null) {
        schedule(reply.deliverTopic, reply.deliverAbout);
      }
    } finally {
      exchange.close();
    }
  }

  /** The whole answer, under the lock, so that a request sees and changes the shop atomically. */
  private synchronized Reply reply(Call call) {
    if (!call.path.equals("/wp-json") && !call.path.startsWith("/wp-json/")) {
      return Reply.html(
          404, page("Page not found", "<h1>Oops! That page can&rsquo;t be found.</h1>"));
    }
    String route = call.path.substring("/wp-json".length()).replaceAll("/+$", "");
    if (route.equalsIgnoreCase("/wc-analytics/reports/customers")) {
      return restHeaders(analyticsCustomers(call));
    }
    if (!route.regionMatches(true, 0, "/wc/v3", 0, 6)
        || route.length() > 6 && route.charAt(6) != '/') {
      return restHeaders(noRoute());
    }
    requests++;
    requestLog.add(
        call.httpMethod + " " + call.rawPath + (call.rawQuery == null ? "" : "?" + call.rawQuery));
    if (faultsLeft > 0) {
      faultsLeft--;
      Reply fault = fault(faultStatus);
      return faultRetryAfter == null ? fault : fault.header("Retry-After", faultRetryAfter);
    }
    Reply refused = authenticate(call);
    if (refused == null) {
      Function<Call, Reply> handler = handler(route, call.method);
      refused = handler == null ? noRoute() : call.readParams();
      if (refused == null) {
        return restHeaders(handler.apply(call));
      }
    }
    return restHeaders(refused);
  }

  /**
   * WooCommerce Analytics' customers report, filtered to WordPress user ids ({@code users=1,2}): a
   * row per customer with orders count and total spent. Present only while {@link #setAnalytics} is
   * on, as the route exists only while Analytics is enabled in the shop.
   */
  private Reply analyticsCustomers(Call call) {
    requests++;
    requestLog.add(
        call.httpMethod + " " + call.rawPath + (call.rawQuery == null ? "" : "?" + call.rawQuery));
    if (!analytics) {
      return noRoute();
    }
    Reply refused = authenticate(call);
    if (refused != null) {
      return refused;
    }
    if (!call.authenticated) {
      return error(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.");
    }
    List<Long> users = idList(call.query.get("users"));
    ArrayNode rows = JSON.createArrayNode();
    long reportId = 1;
    for (Customer c : customers.values()) {
      if (!users.isEmpty() && !users.contains(c.id)) {
        continue;
      }
      ObjectNode row = rows.addObject();
      row.put("id", reportId++);
      row.put("user_id", c.id);
      row.put("name", (c.firstName + " " + c.lastName).trim());
      row.put("email", c.email);
      row.put("orders_count", c.ordersCount);
      row.put("total_spend", c.totalSpent.doubleValue());
      row.put(
          "avg_order_value", c.ordersCount == 0 ? 0 : c.totalSpent.doubleValue() / c.ordersCount);
    }
    return Reply.json(200, rows)
        .header("X-WP-Total", Integer.toString(rows.size()))
        .header("X-WP-TotalPages", "1");
  }

  /** Switches WooCommerce Analytics (its customers report) on or off; off at first. */
  public synchronized void setAnalytics(boolean on) {
    this.analytics = on;
  }

  private boolean analytics;

  private Function<Call, Reply> handler(String route, String method) {
    boolean read = method.equals("GET") || method.equals("HEAD");
    boolean edit = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    boolean delete = method.equals("DELETE");
    if (route.equalsIgnoreCase("/wc/v3/customers")) {
      return read ? this::listCustomers : null;
    }
    if (route.equalsIgnoreCase("/wc/v3/webhooks")) {
      return read ? this::listWebhooks : method.equals("POST") ? this::createWebhook : null;
    }
    Matcher m = CUSTOMER_ROUTE.matcher(route);
    if (m.matches()) {
      long id = id(m.group(1));
      return read
          ? c -> getCustomer(c, id)
          : edit ? c -> updateCustomer(c, id) : delete ? c -> deleteCustomer(c, id) : null;
    }
    m = WEBHOOK_ROUTE.matcher(route);
    if (m.matches()) {
      long id = id(m.group(1));
      return read ? c -> getWebhook(c, id) : edit ? c -> updateWebhook(c, id) : null;
    }
    return null;
  }

  /**
   * {@code WC_REST_Authentication} for an HTTPS site: the query's key and secret first, else HTTP
   * Basic; an unknown key leaves the caller anonymous; a known key with a wrong secret is an error
   * for every route; then the key's read or write permission for the method.
   */
  private Reply authenticate(Call call) {
    String key = call.query.string("consumer_key");
    String secret = call.query.string("consumer_secret");
    if (isEmpty(key) || isEmpty(secret)) {
      key = null;
      secret = null;
      String authorization = call.headers.getFirst("Authorization");
      if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
        try {
          String pair =
              new String(Base64.getDecoder().decode(authorization.substring(6).trim()), UTF_8);
          int colon = pair.indexOf(':');
          if (colon >= 0) {
            key = pair.substring(0, colon);
            secret = pair.substring(colon + 1);
          }
        } catch (IllegalArgumentException e) {
          // PHP sets no PHP_AUTH_USER for a header it cannot decode
        }
      }
    }
    if (isEmpty(key) || isEmpty(secret) || !CONSUMER_KEY.equals(key.trim())) {
      return null;
    }
    if (!CONSUMER_SECRET.equals(secret)) {
      return authError("Consumer secret is invalid.");
    }
    boolean reads = call.method.equals("GET") || call.method.equals("HEAD");
    if (reads && keyPermissions.equals("write")) {
      return authError("The API key provided does not have read permissions.");
    }
    if (!reads && keyPermissions.equals("read")) {
      return authError("The API key provided does not have write permissions.");
    }
    call.authenticated = true;
    return null;
  }

  private static Reply authError(String message) {
    return Reply.json(401, errorBody(401, "woocommerce_rest_authentication_error", message));
  }

  private static Reply noRoute() {
    return error(404, "rest_no_route", "No route was found matching the URL and request method.");
  }

  private static Reply restHeaders(Reply reply) {
    return reply
        .header("X-Robots-Tag", "noindex")
        .header("X-Content-Type-Options", "nosniff")
        .header("Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link")
        .header(
            "Access-Control-Allow-Headers",
            "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type");
  }

  private static Reply fault(int status) {
    return switch (status) {
      case 429 -> error(429, "too_many_requests", "Too many requests");
      case 500 -> criticalError();
      case 503 ->
          Reply.html(
              503,
              page(
                  "Maintenance",
                  "<h1>Briefly unavailable for scheduled maintenance. Check back in a minute.</h1>"));
      case 401 -> error(401, "rest_not_logged_in", "You are not currently logged in.");
      case 403 -> error(403, "rest_forbidden", "Sorry, you are not allowed to do that.");
      default -> {
        if (status < 500) {
          yield error(status, "rest_error", reason(status));
        }
        String title = status + " " + reason(status);
        yield Reply.html(
            status,
            "<html>\r\n<head><title>"
                + title
                + "</title></head>\r\n<body>\r\n<center><h1>"
                + title
                + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
      }
    };
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 408 -> "Request Timeout";
      case 502 -> "Bad Gateway";
      case 504 -> "Gateway Time-out";
      default -> status < 500 ? "Client Error" : "Internal Server Error";
    };
  }

  /** What WordPress answers a REST request that hit a PHP fatal error. */
  private static Reply criticalError() {
    ObjectNode body =
        errorBody(
            500,
            "internal_server_error",
            "<p>There has been a critical error on this website.</p><p><a"
                + " href=\"https://wordpress.org/documentation/article/faq-troubleshooting/\">Learn"
                + " more about troubleshooting WordPress.</a></p>");
    body.putArray("additional_errors");
    return Reply.json(500, body);
  }

  private static String page(String title, String body) {
    return "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"UTF-8\">\n<title>"
        + title
        + "</title>\n</head>\n<body>\n"
        + body
        + "\n</body>\n</html>\n";
  }

  // ---------------------------------------------------------------- /customers

  private Reply listCustomers(Call call) {
    Query q = call.query;
    Invalid invalid = new Invalid();
    int page = invalid.integer(q, "page", 1, 1, null);
    int perPage = invalid.integer(q, "per_page", 10, 1, MAX_PER_PAGE);
    int offset = invalid.integer(q, "offset", 0, null, null);
    String order = invalid.oneOf(q, "order", "asc", List.of("asc", "desc"));
    String orderby =
        invalid.oneOf(q, "orderby", "name", List.of("id", "include", "name", "registered_date"));
    List<String> roles = new ArrayList<>(List.of("all"));
    roles.addAll(ROLES);
    String role = invalid.oneOf(q, "role", "customer", roles);
    String email = invalid.email(q, "email");
    LocalDateTime modifiedAfter = null;
    boolean gmt = false;
    if (honourModifiedAfter) {
      modifiedAfter = invalid.dateTime(q, "modified_after", timeZone);
      gmt = invalid.bool(q, "dates_are_gmt");
    }
    if (!invalid.isEmpty()) {
      return invalid.reply();
    }
    if (!call.authenticated) {
      return error(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.");
    }
    List<Long> include = idList(q.get("include"));
    Set<Long> exclude = new HashSet<>(idList(q.get("exclude")));
    String search = q.string("search");
    String key =
        String.join(
            "|",
            role,
            include.toString(),
            exclude.toString(),
            Objects.toString(email),
            Objects.toString(search),
            orderby,
            order,
            Objects.toString(modifiedAfter),
            Boolean.toString(gmt),
            timeZone.getId());
    List<Customer> matches;
    if (lastMatches != null && lastMatches.key.equals(key) && lastMatches.version == version) {
      matches = lastMatches.customers;
    } else {
      Predicate<Customer> keep = c -> role.equals("all") || c.role.equals(role);
      if (!include.isEmpty()) {
        Set<Long> ids = new HashSet<>(include);
        keep = keep.and(c -> ids.contains(c.id));
      }
      if (!exclude.isEmpty()) {
        keep = keep.and(c -> !exclude.contains(c.id));
      }
      if (email != null) {
        keep = keep.and(c -> c.email.equalsIgnoreCase(email));
      } else if (!isEmpty(search)) {
        String s = search.replace("*", "").toLowerCase(Locale.ROOT);
        keep =
            keep.and(
                c ->
                    (c.username + "\n" + c.email + "\n" + c.displayName)
                        .toLowerCase(Locale.ROOT)
                        .contains(s));
      }
      if (modifiedAfter != null) {
        LocalDateTime after = modifiedAfter;
        ZoneId column = gmt ? UTC : timeZone;
        keep = keep.and(c -> LocalDateTime.ofInstant(c.dateModified, column).isAfter(after));
      }
      Comparator<Customer> sort =
          switch (orderby) {
            case "id" -> Comparator.comparingLong(c -> c.id);
            case "registered_date" ->
                Comparator.comparing((Customer c) -> c.dateCreated).thenComparingLong(c -> c.id);
            case "include" ->
                include.isEmpty()
                    ? Comparator.comparing((Customer c) -> c.username)
                    : Comparator.comparingInt((Customer c) -> include.indexOf(c.id));
            default ->
                Comparator.comparing((Customer c) -> c.displayName, String.CASE_INSENSITIVE_ORDER)
                    .thenComparingLong(c -> c.id);
          };
      matches =
          customers.values().stream()
              .filter(keep)
              .sorted(order.equals("desc") ? sort.reversed() : sort)
              .toList();
      lastMatches = new Matches(key, version, matches);
    }
    int from = offset > 0 ? offset : (page - 1) * perPage;
    ArrayNode items = JSON.createArrayNode();
    for (int i = from; i < Math.min(from + perPage, matches.size()); i++) {
      items.add(customerJson(matches.get(i)));
    }
    int linkPage = (int) Math.ceil(from / (double) perPage + 1);
    return paged(call, "/wc/v3/customers", fields(call, items), matches.size(), perPage, linkPage);
  }

  /** A list answer with WordPress's paging headers; {@code page} as the controller computes it. */
  private Reply paged(Call call, String route, JsonNode items, int total, int perPage, int page) {
    int maxPages = (int) Math.ceil(total / (double) perPage);
    Reply reply =
        Reply.json(200, items)
            .header("X-WP-Total", Integer.toString(total))
            .header("X-WP-TotalPages", Integer.toString(maxPages));
    StringJoiner links = new StringJoiner(", ");
    if (page > 1) {
      links.add("<" + link(call.query, route, Math.min(page - 1, maxPages)) + ">; rel=\"prev\"");
    }
    if (maxPages > page) {
      links.add("<" + link(call.query, route, page + 1) + ">; rel=\"next\"");
    }
    return links.length() == 0 ? reply : reply.header("Link", links.toString());
  }

  /**
   * {@code add_query_arg('page', N, add_query_arg($request->get_query_params(), rest_url(...)))}:
   * the first call writes the decoded values as they are, the second parses that again and
   * URL-encodes, so a value is decoded twice before it is encoded once.
   */
  private String link(Query query, String route, int page) {
    Query again = Query.parse(query.build(false));
    again.values.put("page", Integer.toString(page));
    return baseUrl() + "/wp-json" + route + "?" + again.build(true).replaceAll("=(&|$)", "$1");
  }

  private Reply getCustomer(Call call, long id) {
    Customer c = customers.get(id);
    if (c == null) {
      return error(404, "wc_user_invalid_id", "Invalid user ID.");
    }
    if (!call.authenticated) {
      return error(401, "woocommerce_rest_cannot_view", "Sorry, you cannot view this resource.");
    }
    return Reply.json(200, fields(call, customerJson(c)));
  }

  private Reply updateCustomer(Call call, long id) {
    ObjectNode p = call.params;
    Invalid invalid = customerParams(p);
    if (!invalid.isEmpty()) {
      return invalid.reply();
    }
    Customer c = customers.get(id);
    if (c == null) {
      return error(404, "wc_user_invalid_id", "Invalid user ID.");
    }
    if (!call.authenticated) {
      return error(
          401, "woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource.");
    }
    String email = string(p, "email");
    if (!CUSTOMER_ROLES.contains(c.role)) {
      String prop =
          p.hasNonNull("password")
              ? "password"
              : email != null && !email.equals(c.email) ? "email" : null;
      if (prop != null) {
        return error(
            401,
            "woocommerce_rest_cannot_edit",
            "Sorry, "
                + prop
                + " cannot be updated via this endpoint for a user with role "
                + c.role
                + ".");
      }
    }
    if (!isEmpty(email)
        && emails.containsKey(email.toLowerCase(Locale.ROOT))
        && !email.equals(c.email)) {
      return error(400, "woocommerce_rest_customer_invalid_email", "Email address is invalid.");
    }
    String username = string(p, "username");
    if (!isEmpty(username) && !username.equals(c.username)) {
      return error(400, "woocommerce_rest_customer_invalid_argument", "Username isn't editable.");
    }
    apply(c, p);
    c.dateModified = now();
    version++;
    updates++;
    return Reply.json(200, customerJson(c)).thenDeliver("customer.updated", c.id);
  }

  private Reply deleteCustomer(Call call, long id) {
    Invalid invalid = new Invalid();
    boolean force = invalid.bool(call.query, "force");
    if (!invalid.isEmpty()) {
      return invalid.reply();
    }
    Customer c = customers.get(id);
    if (c == null) {
      return error(404, "wc_user_invalid_id", "Invalid user ID.");
    }
    if (!call.authenticated) {
      return error(
          401,
          "woocommerce_rest_cannot_delete",
          "Sorry, you are not allowed to delete this resource.");
    }
    if (!CUSTOMER_ROLES.contains(c.role)) {
      return error(
          401,
          "woocommerce_rest_cannot_delete",
          "Sorry, users with "
              + c.role
              + " role cannot be deleted via this endpoint. Allowed"
              + " roles: customer, subscriber");
    }
    if (!force) {
      return error(
          501, "woocommerce_rest_trash_not_supported", "Customers do not support trashing.");
    }
    ObjectNode before = customerJson(c);
    delete(id);
    Reply reply = Reply.json(200, before);
    // WC_Webhook::is_valid_user_action: customer.deleted only for users with the customer role
    return c.role.equals("customer") ? reply.thenDeliver("customer.deleted", id) : reply;
  }

  /** Validation of a customer write, by the controller's schema. */
  private static Invalid customerParams(ObjectNode p) {
    Invalid invalid = new Invalid();
    for (String name : List.of("first_name", "last_name", "username", "password")) {
      invalid.string(p.get(name), name, name);
    }
    if (invalid.string(p.get("email"), "email", "email")) {
      invalid.email(p.get("email"), "email", "email");
    }
    for (String name : List.of("billing", "shipping")) {
      JsonNode a = p.get(name);
      if (a == null || a.isNull()) {
        continue;
      }
      if (!a.isObject()) {
        invalid.type(name, name, "object");
        continue;
      }
      for (String field : ADDRESS_FIELDS) {
        JsonNode v = a.get(field);
        String param = name + "[" + field + "]";
        if (v != null
            && invalid.string(v, name, param)
            && field.equals("email")
            && name.equals("billing")) {
          invalid.email(v, name, param);
        }
      }
    }
    JsonNode meta = p.get("meta_data");
    if (meta != null && !meta.isNull()) {
      if (!meta.isArray()) {
        invalid.type("meta_data", "meta_data", "array");
      } else {
        for (int i = 0; i < meta.size() && invalid.isEmpty(); i++) {
          JsonNode m = meta.get(i);
          String param = "meta_data[" + i + "]";
          if (!m.isObject()) {
            invalid.type("meta_data", param, "object");
          } else {
            JsonNode id = m.get("id");
            if (id != null
                && !id.isNull()
                && !(id.isIntegralNumber()
                    || id.isString() && INTEGER.matcher(id.asString()).matches())) {
              invalid.type("meta_data", param + "[id]", "integer");
            }
            invalid.string(m.get("key"), "meta_data", param + "[key]");
          }
        }
      }
    }
    return invalid;
  }

  /** {@code update_customer_meta_fields} of the V1 and V2 controllers, after validation. */
  private void apply(Customer c, ObjectNode p) {
    String email = string(p, "email");
    if (email != null) {
      String before = c.email;
      c.email = email.trim();
      reindex(c, before);
    }
    if (p.hasNonNull("first_name")) {
      c.firstName = clean(p.get("first_name").asString());
    }
    if (p.hasNonNull("last_name")) {
      c.lastName = clean(p.get("last_name").asString());
    }
    address(c.billing, p.get("billing"), true);
    address(c.shipping, p.get("shipping"), false);
    JsonNode meta = p.get("meta_data");
    if (meta != null && meta.isArray()) {
      for (JsonNode m : meta) {
        JsonNode id = m.get("id");
        JsonNode key = m.get("key");
        updateMeta(
            c,
            key == null || key.isNull() ? null : key.asString(),
            m.get("value"),
            id == null || id.isNull() || id.asString().isEmpty() ? 0 : id.asLong());
      }
    }
  }

  private static void address(Address a, JsonNode given, boolean billing) {
    if (given == null || !given.isObject()) {
      return;
    }
    for (String field : ADDRESS_FIELDS) {
      JsonNode v = given.get(field);
      if (v == null || v.isNull() || field.equals("email") && !billing) {
        continue;
      }
      String s = v.asString();
      switch (field) {
        case "first_name" -> a.firstName = s;
        case "last_name" -> a.lastName = s;
        case "company" -> a.company = s;
        case "address_1" -> a.address1 = s;
        case "address_2" -> a.address2 = s;
        case "city" -> a.city = s;
        case "state" -> a.state = s;
        case "postcode" -> a.postcode = s;
        case "country" -> a.country = s;
        case "email" -> a.email = s;
        default -> a.phone = s;
      }
    }
  }

  /**
   * {@code WC_Data::update_meta_data} followed by {@code save_meta_data}: see the class comment.
   * {@code metaId} 0 means none was given.
   */
  private void updateMeta(Customer c, String key, JsonNode value, long metaId) {
    List<Meta> meta = c.metaData;
    int at = -1;
    if (metaId != 0) {
      for (int i = 0; i < meta.size() && at < 0; i++) {
        at = meta.get(i).id() == metaId ? i : -1;
      }
      if (at < 0) { // add_meta_data($key, $value, true): the key's entries go, one new comes
        meta.removeIf(m -> m.key().equals(key));
      }
    } else {
      for (int i = meta.size() - 1; i >= 0; i--) {
        if (meta.get(i).key().equals(key)) {
          if (at >= 0) {
            meta.remove(at); // only the first of the key survives
          }
          at = i;
        }
      }
    }
    boolean delete = value == null || value.isNull();
    if (at >= 0) {
      Meta old = meta.get(at);
      if (delete) {
        meta.remove(at);
      } else {
        meta.set(at, new Meta(old.id(), key == null ? old.key() : key, stored(value)));
      }
    } else if (!delete && key != null) {
      meta.add(new Meta(nextMetaId++, key, stored(value)));
    }
  }

  /**
   * A meta value as it comes back from the database: top-level scalars as PHP strings (user meta is
   * a string column), arrays and objects unserialized with their types, {} as [].
   */
  private static JsonNode stored(JsonNode value) {
    if (value.isString()) {
      return value;
    }
    if (value.isBoolean()) {
      return text(value.booleanValue() ? "1" : "");
    }
    if (value.isNumber()) {
      return text(
          value.isIntegralNumber()
              ? value.bigIntegerValue().toString()
              : value.decimalValue().stripTrailingZeros().toPlainString());
    }
    return emptyObjectsAsArrays(value);
  }

  private static JsonNode emptyObjectsAsArrays(JsonNode value) {
    if (value.isObject()) {
      if (value.isEmpty()) {
        return JSON.createArrayNode();
      }
      ObjectNode copy = JSON.createObjectNode();
      value.forEachEntry((k, v) -> copy.set(k, emptyObjectsAsArrays(v)));
      return copy;
    }
    if (value.isArray()) {
      ArrayNode copy = JSON.createArrayNode();
      value.forEach(v -> copy.add(emptyObjectsAsArrays(v)));
      return copy;
    }
    return value;
  }

  private ObjectNode customerJson(Customer c) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", c.id);
    n.put("date_created", siteTime(c.dateCreated)).put("date_created_gmt", gmtTime(c.dateCreated));
    n.put("date_modified", siteTime(c.dateModified));
    n.put("date_modified_gmt", gmtTime(c.dateModified));
    n.put("email", c.email).put("first_name", c.firstName).put("last_name", c.lastName);
    n.put("role", c.role).put("username", c.username);
    n.set("billing", addressJson(c.billing, true));
    n.set("shipping", addressJson(c.shipping, false));
    n.put("is_paying_customer", c.payingCustomer);
    n.put("avatar_url", avatarUrl(c.email));
    ArrayNode meta = n.putArray("meta_data");
    for (Meta m : c.metaData) {
      meta.addObject().put("id", m.id()).put("key", m.key()).set("value", m.value());
    }
    n.set("_links", links("customers", c.id));
    return n;
  }

  private static ObjectNode addressJson(Address a, boolean billing) {
    ObjectNode n = JSON.createObjectNode();
    n.put("first_name", a.firstName).put("last_name", a.lastName).put("company", a.company);
    n.put("address_1", a.address1).put("address_2", a.address2).put("city", a.city);
    n.put("state", a.state).put("postcode", a.postcode).put("country", a.country);
    if (billing) {
      n.put("email", a.email);
    }
    return n.put("phone", a.phone);
  }

  /** {@code _links}; WordPress 6.7 adds the route's methods to self as {@code targetHints}. */
  private ObjectNode links(String collection, long id) {
    ObjectNode links = JSON.createObjectNode();
    ObjectNode self = links.putArray("self").addObject();
    self.put("href", baseUrl() + API_PATH + "/" + collection + "/" + id);
    ArrayNode allow = self.putObject("targetHints").putArray("allow");
    List.of("GET", "POST", "PUT", "PATCH", "DELETE").forEach(allow::add);
    links.putArray("collection").addObject().put("href", baseUrl() + API_PATH + "/" + collection);
    return links;
  }

  /** {@code get_avatar_url}: Gravatar by the MD5 of the trimmed, lower-cased e-mail. */
  private static String avatarUrl(String email) {
    if (email.isBlank()) {
      return "https://secure.gravatar.com/avatar/?s=96&d=mm&r=g";
    }
    try {
      byte[] md5 =
          MessageDigest.getInstance("MD5").digest(bytes(email.trim().toLowerCase(Locale.ROOT)));
      return "https://secure.gravatar.com/avatar/"
          + HexFormat.of().formatHex(md5)
          + "?s=96&d=mm&r=g";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- /webhooks

  private Reply listWebhooks(Call call) {
    Query q = call.query;
    Invalid invalid = new Invalid();
    int page = invalid.integer(q, "page", 1, 1, null);
    int perPage = invalid.integer(q, "per_page", 10, 1, MAX_PER_PAGE);
    int offset = invalid.integer(q, "offset", 0, null, null);
    String order = invalid.oneOf(q, "order", "desc", List.of("asc", "desc"));
    String orderby = invalid.oneOf(q, "orderby", "date", List.of("date", "id", "title"));
    List<String> statuses = new ArrayList<>(List.of("all"));
    statuses.addAll(WEBHOOK_STATUSES);
    String status = invalid.oneOf(q, "status", "all", statuses);
    if (!invalid.isEmpty()) {
      return invalid.reply();
    }
    if (!call.authenticated) {
      return error(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.");
    }
    List<Long> include = idList(q.get("include"));
    Set<Long> exclude = new HashSet<>(idList(q.get("exclude")));
    String search = Objects.requireNonNullElse(q.string("search"), "").toLowerCase(Locale.ROOT);
    Comparator<Hook> sort =
        switch (orderby) {
          case "id" -> Comparator.comparingLong(h -> h.id);
          case "title" -> Comparator.comparing((Hook h) -> h.name).thenComparingLong(h -> h.id);
          default -> Comparator.comparing((Hook h) -> h.dateCreated).thenComparingLong(h -> h.id);
        };
    List<Hook> matches =
        webhooks.values().stream()
            .filter(h -> status.equals("all") || h.status.equals(status))
            .filter(h -> include.isEmpty() || include.contains(h.id))
            .filter(h -> !exclude.contains(h.id))
            .filter(h -> h.name.toLowerCase(Locale.ROOT).contains(search))
            .sorted(order.equals("desc") ? sort.reversed() : sort)
            .toList();
    int from = offset > 0 ? offset : (page - 1) * perPage;
    ArrayNode items = JSON.createArrayNode();
    for (int i = from; i < Math.min(from + perPage, matches.size()); i++) {
      items.add(webhookJson(matches.get(i)));
    }
    int linkPage = (int) Math.ceil(from / (double) perPage + 1);
    return paged(call, "/wc/v3/webhooks", fields(call, items), matches.size(), perPage, linkPage);
  }

  private Reply getWebhook(Call call, long id) {
    if (!call.authenticated) {
      return error(401, "woocommerce_rest_cannot_view", "Sorry, you cannot view this resource.");
    }
    Hook hook = webhooks.get(id);
    return hook == null
        ? invalidWebhook(400, "ID is invalid.")
        : Reply.json(200, fields(call, webhookJson(hook)));
  }

  private Reply createWebhook(Call call) {
    ObjectNode p = call.params;
    List<String> missing =
        List.of("topic", "delivery_url").stream().filter(name -> !p.hasNonNull(name)).toList();
    if (!missing.isEmpty()) {
      ObjectNode body =
          errorBody(
              400,
              "rest_missing_callback_param",
              "Missing parameter(s): " + String.join(", ", missing));
      ArrayNode params = ((ObjectNode) body.get("data")).putArray("params");
      missing.forEach(params::add);
      return Reply.json(400, body);
    }
    Invalid invalid = webhookParams(p);
    if (!invalid.isEmpty()) {
      return invalid.reply();
    }
    if (!call.authenticated) {
      return error(
          401, "woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources.");
    }
    String topic = string(p, "topic").toLowerCase(Locale.ROOT);
    if (!TOPIC_HOOKS.containsKey(topic)) {
      return invalidWebhook(400, "Webhook topic is required and must be valid.", "invalid_topic");
    }
    String url = string(p, "delivery_url");
    if (!validUrl(url)) {
      return invalidWebhook(
          400,
          "Webhook delivery URL must be a valid URL starting with http:// or https://.",
          "invalid_delivery_url");
    }
    String secret = string(p, "secret");
    // prepare_item_for_database saves every new webhook as active, whatever "status" says
    Hook hook =
        newWebhook(string(p, "name"), topic, url, isEmpty(secret) ? randomSecret() : secret);
    Reply reply =
        Reply.json(201, webhookJson(hook))
            .header("Location", baseUrl() + API_PATH + "/webhooks/" + hook.id);
    reply.pingUrl = url;
    reply.pingWebhook = hook.id;
    return reply;
  }

  private Reply updateWebhook(Call call, long id) {
    ObjectNode p = call.params;
    Invalid invalid = webhookParams(p);
    if (!invalid.isEmpty()) {
      return invalid.reply();
    }
    if (!call.authenticated) {
      return error(
          401, "woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource.");
    }
    Hook hook = webhooks.get(id);
    if (hook == null) {
      return invalidWebhook(400, "ID is invalid.");
    }
    String topic = string(p, "topic");
    if (!isEmpty(topic) && !TOPIC_HOOKS.containsKey(topic.toLowerCase(Locale.ROOT))) {
      return invalidWebhook(400, "Webhook topic must be valid.", "invalid_topic");
    }
    String url = string(p, "delivery_url");
    if (!isEmpty(url) && !validUrl(url)) {
      return invalidWebhook(
          400,
          "Webhook delivery URL must be a valid URL starting with http:// or https://.",
          "invalid_delivery_url");
    }
    if (!isEmpty(topic)) {
      hook.topic = topic.toLowerCase(Locale.ROOT);
    }
    if (!isEmpty(url)) {
      hook.deliveryUrl = url;
    }
    if (!isEmpty(string(p, "secret"))) {
      hook.secret = string(p, "secret");
    }
    if (!isEmpty(string(p, "status"))) {
      hook.status = string(p, "status"); // failure_count stays: one more failure disables again
    }
    if (!isEmpty(string(p, "name"))) {
      hook.name = string(p, "name");
    }
    hook.dateModified = now();
    return Reply.json(200, webhookJson(hook));
  }

  private static Invalid webhookParams(ObjectNode p) {
    Invalid invalid = new Invalid();
    for (String name : List.of("name", "topic", "delivery_url", "secret")) {
      invalid.string(p.get(name), name, name);
    }
    JsonNode status = p.get("status");
    if (invalid.string(status, "status", "status")
        && status != null
        && !status.isNull()
        && !WEBHOOK_STATUSES.contains(status.asString())) {
      invalid.add(
          "status",
          "rest_not_in_enum",
          "status is not one of " + list(WEBHOOK_STATUSES) + ".",
          null);
    }
    return invalid;
  }

  private static Reply invalidWebhook(int status, String message) {
    return invalidWebhook(status, message, "invalid_id");
  }

  private static Reply invalidWebhook(int status, String message, String what) {
    return error(status, "woocommerce_rest_shop_webhook_" + what, message);
  }

  private ObjectNode webhookJson(Hook h) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", h.id).put("name", h.name).put("status", h.status).put("topic", h.topic);
    n.put("resource", resource(h.topic)).put("event", event(h.topic));
    ArrayNode hooks = n.putArray("hooks");
    TOPIC_HOOKS.getOrDefault(h.topic, List.of()).forEach(hooks::add);
    n.put("delivery_url", h.deliveryUrl);
    n.put("date_created", siteTime(h.dateCreated)).put("date_created_gmt", gmtTime(h.dateCreated));
    n.put("date_modified", siteTime(h.dateModified));
    n.put("date_modified_gmt", gmtTime(h.dateModified));
    n.set("_links", links("webhooks", h.id));
    return n;
  }

  // ---------------------------------------------------------------- parameters

  /** The query string as PHP reads it into $_GET: {@code a[]=1&a[]=2} is an array. */
  private static final class Query {
    final LinkedHashMap<String, Object> values = new LinkedHashMap<>();

    static Query parse(String raw) {
      Query q = new Query();
      if (raw == null || raw.isEmpty()) {
        return q;
      }
      for (String pair : raw.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = urldecode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : urldecode(pair.substring(eq + 1));
        int open = name.indexOf('[');
        int close = name.indexOf(']', open + 1);
        if (open > 0 && close > open) {
          Object existing = q.values.get(name.substring(0, open));
          @SuppressWarnings("unchecked")
          Map<String, String> array =
              existing instanceof Map ? (Map<String, String>) existing : new LinkedHashMap<>();
          String index = name.substring(open + 1, close);
          array.put(index.isEmpty() ? Integer.toString(nextIndex(array)) : index, value);
          q.values.put(name.substring(0, open), array);
        } else {
          q.values.put(name, value);
        }
      }
      return q;
    }

    private static int nextIndex(Map<String, String> array) {
      return array.keySet().stream()
          .filter(k -> INTEGER.matcher(k).matches())
          .mapToInt(k -> Integer.parseInt(k) + 1)
          .max()
          .orElse(0);
    }

    Object get(String name) {
      return values.get(name);
    }

    /** The value if it is a plain string, else null. */
    String string(String name) {
      return values.get(name) instanceof String s ? s : null;
    }

    /** {@code build_query}: names as they are, values encoded with PHP's urlencode or not. */
    String build(boolean encode) {
      StringJoiner query = new StringJoiner("&");
      values.forEach(
          (name, value) -> {
            if (value instanceof Map<?, ?> array) {
              array.forEach(
                  (i, v) ->
                      query.add(name + "%5B" + i + "%5D=" + (encode ? urlencode((String) v) : v)));
            } else {
              query.add(name + "=" + (encode ? urlencode((String) value) : value));
            }
          });
      return query.toString();
    }

    ObjectNode toJson() {
      ObjectNode n = JSON.createObjectNode();
      values.forEach(
          (name, value) -> {
            if (value instanceof Map<?, ?> array) {
              ObjectNode o = n.putObject(name);
              array.forEach((k, v) -> o.put((String) k, (String) v));
            } else {
              n.put(name, (String) value);
            }
          });
      return n;
    }
  }

  /**
   * WordPress's {@code rest_invalid_param} answer, collected parameter by parameter with the
   * messages of {@code rest_validate_value_from_schema}.
   */
  private static final class Invalid {
    final ObjectNode params = JSON.createObjectNode();
    final ObjectNode details = JSON.createObjectNode();

    boolean isEmpty() {
      return params.isEmpty();
    }

    void add(String param, String code, String message, String dataParam) {
      if (params.has(param)) {
        return;
      }
      params.put(param, message);
      ObjectNode detail = details.putObject(param).put("code", code).put("message", message);
      if (dataParam == null) {
        detail.putNull("data");
      } else {
        detail.putObject("data").put("param", dataParam);
      }
    }

    void type(String param, String name, String type) {
      add(param, "rest_invalid_type", name + " is not of type " + type + ".", name);
    }

    Reply reply() {
      List<String> names = new ArrayList<>(params.propertyNames());
      ObjectNode body =
          errorBody(400, "rest_invalid_param", "Invalid parameter(s): " + String.join(", ", names));
      ((ObjectNode) body.get("data")).set("params", params);
      ((ObjectNode) body.get("data")).set("details", details);
      return Reply.json(400, body);
    }

    int integer(Query q, String name, int fallback, Integer min, Integer max) {
      Object value = q.get(name);
      if (value == null) {
        return fallback;
      }
      if (!(value instanceof String s) || !INTEGER.matcher(s).matches() || s.length() > 18) {
        type(name, name, "integer");
        return fallback;
      }
      long n = Long.parseLong(s);
      if (min != null && max != null && (n < min || n > max)) {
        add(
            name,
            "rest_out_of_bounds",
            name + " must be between " + min + " (inclusive) and " + max + " (inclusive)",
            null);
      } else if (min != null && n < min) {
        add(name, "rest_out_of_bounds", name + " must be greater than or equal to " + min, null);
      }
      return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n));
    }

    String oneOf(Query q, String name, String fallback, List<String> allowed) {
      Object value = q.get(name);
      if (value == null) {
        return fallback;
      }
      if (!(value instanceof String s)) {
        type(name, name, "string");
        return fallback;
      }
      if (!allowed.contains(s)) {
        add(name, "rest_not_in_enum", name + " is not one of " + list(allowed) + ".", null);
        return fallback;
      }
      return s;
    }

    boolean bool(Query q, String name) {
      Object value = q.get(name);
      if (value == null) {
        return false;
      }
      if (!(value instanceof String s)
          || !List.of("true", "false", "1", "0", "").contains(s.toLowerCase(Locale.ROOT))) {
        type(name, name, "boolean");
        return false;
      }
      return List.of("true", "1").contains(s.toLowerCase(Locale.ROOT));
    }

    String email(Query q, String name) {
      Object value = q.get(name);
      if (value == null) {
        return null;
      }
      if (!(value instanceof String s) || !isEmail(s)) {
        add(name, "rest_invalid_email", "Invalid email address.", null);
        return null;
      }
      return s;
    }

    /** A {@code date-time} parameter as {@code WP_Date_Query} uses it: site time, seconds. */
    LocalDateTime dateTime(Query q, String name, ZoneId site) {
      Object value = q.get(name);
      if (value == null) {
        return null;
      }
      Matcher m = value instanceof String s ? DATE_TIME.matcher(s) : null;
      try {
        if (m != null && m.matches()) {
          LocalDateTime local = LocalDateTime.parse(m.group(1) + "T" + m.group(2));
          String offset = m.group(3);
          if (offset == null) {
            return local;
          }
          ZoneOffset zone =
              offset.equalsIgnoreCase("Z")
                  ? UTC
                  : ZoneOffset.of(offset.length() == 3 ? offset + ":00" : offset);
          return local.atOffset(zone).atZoneSameInstant(site).toLocalDateTime();
        }
      } catch (DateTimeException e) {
        // a 13th month or a 25th hour: strtotime() fails as well
      }
      add(name, "rest_invalid_date", "Invalid date.", null);
      return null;
    }

    /** Whether {@code value} is absent, null or a string; reports it under {@code param}. */
    boolean string(JsonNode value, String param, String name) {
      if (value == null || value.isNull() && param.equals(name) || value.isString()) {
        return true;
      }
      type(param, name, "string");
      return false;
    }

    void email(JsonNode value, String param, String name) {
      if (value != null && value.isString() && !isEmail(value.asString())) {
        add(param, "rest_invalid_email", "Invalid email address.", null);
      }
    }
  }

  /** {@code wp_sprintf_l}: "a and b", "a, b, and c". */
  private static String list(List<String> items) {
    if (items.size() == 2) {
      return items.get(0) + " and " + items.get(1);
    }
    return String.join(", ", items.subList(0, items.size() - 1))
        + ", and "
        + items.get(items.size() - 1);
  }

  /** {@code wp_parse_id_list}: a list or a comma/space separated string, absint, unique. */
  private static List<Long> idList(Object value) {
    List<String> parts = new ArrayList<>();
    if (value instanceof Map<?, ?> array) {
      array.values().forEach(v -> parts.add((String) v));
    } else if (value instanceof String s) {
      parts.addAll(List.of(s.split("[\\s,]+")));
    }
    LinkedHashSet<Long> ids = new LinkedHashSet<>();
    for (String part : parts) {
      if (!part.isEmpty()) {
        Matcher m = LEADING_DIGITS.matcher(part.trim());
        ids.add(m.find() ? Long.parseLong(m.group(1)) : 0L);
      }
    }
    return new ArrayList<>(ids);
  }

  /** {@code _fields}: keeps the named properties, dotted names for nested ones. */
  private static JsonNode fields(Call call, JsonNode data) {
    String fields = call.query.string("_fields");
    if (isEmpty(fields)) {
      return data;
    }
    Map<String, Object> tree = new LinkedHashMap<>();
    for (String field : fields.split("[\\s,]+")) {
      Map<String, Object> level = tree;
      String[] parts = field.trim().split("\\.");
      for (int i = 0; i < parts.length - 1 && level != null; i++) {
        Object next = level.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
        @SuppressWarnings("unchecked")
        Map<String, Object> map = next instanceof Map ? (Map<String, Object>) next : null;
        level = map;
      }
      if (level != null) {
        level.put(parts[parts.length - 1], Boolean.TRUE);
      }
    }
    if (data.isArray()) {
      ArrayNode kept = JSON.createArrayNode();
      data.forEach(item -> kept.add(keep(item, tree)));
      return kept;
    }
    return keep(data, tree);
  }

  /** {@code _rest_array_intersect_key_recursive}: in the data's order, not the request's. */
  private static JsonNode keep(JsonNode item, Map<String, Object> tree) {
    ObjectNode kept = JSON.createObjectNode();
    item.forEachEntry(
        (name, v) -> {
          Object sub = tree.get(name);
          if (sub != null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> nested = sub instanceof Map ? (Map<String, Object>) sub : null;
            kept.set(name, nested != null && v.isObject() ? keep(v, nested) : v);
          }
        });
    return kept;
  }

  // ---------------------------------------------------------------- helpers

  private static Reply error(int status, String code, String message) {
    return Reply.json(status, errorBody(status, code, message));
  }

  private static ObjectNode errorBody(int status, String code, String message) {
    ObjectNode body = JSON.createObjectNode().put("code", code).put("message", message);
    body.putObject("data").put("status", status);
    return body;
  }

  private static byte[] php(JsonNode node) {
    return PHP_JSON.writeValueAsBytes(node);
  }

  private static JsonNode text(String value) {
    return JsonNodeFactory.instance.stringNode(value);
  }

  private static String string(ObjectNode params, String name) {
    JsonNode v = params.get(name);
    return v == null || v.isNull() ? null : v.asString();
  }

  /** {@code wc_clean} of a name: tags and line breaks out, trimmed. */
  private static String clean(String value) {
    return value.replaceAll("<[^>]*>", "").replaceAll("[\\r\\n\\t]+", " ").trim();
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }

  /** Close to WordPress's {@code is_email}: ASCII local part, a domain with a dot, 6+ chars. */
  private static boolean isEmail(String s) {
    return s.length() >= 6 && EMAIL.matcher(s).matches() && !s.contains("..");
  }

  private static boolean validUrl(String url) {
    try {
      URI uri = URI.create(url);
      return (Objects.equals(uri.getScheme(), "http") || Objects.equals(uri.getScheme(), "https"))
          && uri.getHost() != null;
    } catch (IllegalArgumentException | NullPointerException e) {
      return false;
    }
  }

  private static long id(String digits) {
    return digits.length() > 18 ? 0 : Long.parseLong(digits);
  }

  private static String resource(String topic) {
    return topic.split("\\.", 2)[0];
  }

  private static String event(String topic) {
    String[] parts = topic.split("\\.", 2);
    return parts.length > 1 ? parts[1] : "";
  }

  private String siteTime(Instant instant) {
    return instant == null ? null : WP_TIME.format(instant.atZone(timeZone));
  }

  private static String gmtTime(Instant instant) {
    return instant == null ? null : WP_TIME.format(instant.atZone(UTC));
  }

  private Instant now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS);
  }

  private Customer existing(long id) {
    Customer c = customers.get(id);
    if (c == null) {
      throw new IllegalArgumentException("No customer " + id);
    }
    return c;
  }

  private void add(Customer c) {
    customers.put(c.id, c);
    if (!c.email.isEmpty()) {
      emails.put(c.email.toLowerCase(Locale.ROOT), c.id);
    }
    usernames.add(c.username.toLowerCase(Locale.ROOT));
    version++;
  }

  private void reindex(Customer c, String previousEmail) {
    if (!previousEmail.equals(c.email)) {
      emails.remove(previousEmail.toLowerCase(Locale.ROOT), c.id);
      if (!c.email.isEmpty()) {
        emails.put(c.email.toLowerCase(Locale.ROOT), c.id);
      }
    }
  }

  /**
   * {@code wc_create_new_customer_username} for a Chinese name (which sanitize_user empties): the
   * e-mail's local part, lower case, with a "-NNNN" suffix while it is taken.
   */
  private String username(String email, Random random) {
    String local = email.contains("@") ? email.substring(0, email.indexOf('@')) : email;
    if (List.of("sales", "hello", "mail", "contact", "info").contains(local)) {
      local = email.substring(email.indexOf('@') + 1);
    }
    String base = NOT_IN_USERNAME.matcher(local.toLowerCase(Locale.ROOT)).replaceAll("");
    base = base.isEmpty() ? "customer" : base;
    String name = base;
    while (usernames.contains(name)) {
      name = base + "-" + String.format("%04d", random.nextInt(10_000));
    }
    return name;
  }

  private String uniqueEmail(Random random, String surname, String given, String mobile) {
    String email;
    do {
      int kind = random.nextInt(100);
      if (kind < 35) {
        email = (10000 + random.nextInt(2_000_000_000)) + "@qq.com";
      } else if (kind < 65) {
        email =
            surname
                + given
                + (random.nextBoolean() ? "" : random.nextInt(10_000))
                + (random.nextBoolean() ? "@163.com" : "@126.com");
      } else if (kind < 80) {
        email =
            given
                + "."
                + surname
                + (1965 + random.nextInt(41))
                + MAIL_DOMAINS[random.nextInt(MAIL_DOMAINS.length)];
      } else if (kind < 90) {
        email = mobile + "@139.com";
      } else {
        email = surname + "." + given + random.nextInt(1000) + "@outlook.com";
      }
    } while (emails.containsKey(email));
    return email;
  }

  private static String displayName(String first, String last, String username) {
    String name = first + last;
    boolean chinese =
        name.codePoints()
            .anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN);
    String full = chinese ? (last + first).trim() : (first + " " + last).trim();
    return full.isEmpty() ? username : full;
  }

  private static String randomSecret() {
    String chars =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^*()-_[]{}~`+=,.;:/?|";
    Random random = new Random();
    StringBuilder secret = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      secret.append(chars.charAt(random.nextInt(chars.length())));
    }
    return secret.toString();
  }

  private static byte[] hmac(String algorithm, String key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(bytes(key), algorithm));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  /** PHP's urlencode: letters, digits and "-_." stay, space is "+", the rest %XX. */
  private static String urlencode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes(s)) {
      char c = (char) (b & 0xff);
      if (c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c >= '0' && c <= '9'
          || "-_.".indexOf(c) >= 0) {
        out.append(c);
      } else if (c == ' ') {
        out.append('+');
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  /** PHP's urldecode: "+" is a space, %XX a byte, a stray "%" stays. */
  private static String urldecode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+') {
        out.write(' ');
      } else if (c == '%' && isHex(s, i + 1) && isHex(s, i + 2)) {
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
          b = s.substring(i, i + 2).getBytes(UTF_8);
          i++;
        }
        out.write(b, 0, b.length);
      }
    }
    return out.toString(UTF_8);
  }

  private static boolean isHex(String s, int i) {
    return i < s.length() && Character.digit(s.charAt(i), 16) >= 0;
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private static Map<String, List<String>> topicHooks() {
    Map<String, List<String>> hooks = new LinkedHashMap<>();
    hooks.put(
        "coupon.created",
        List.of("woocommerce_process_shop_coupon_meta", "woocommerce_new_coupon"));
    hooks.put(
        "coupon.updated",
        List.of("woocommerce_process_shop_coupon_meta", "woocommerce_update_coupon"));
    hooks.put("coupon.deleted", List.of("wp_trash_post"));
    hooks.put("coupon.restored", List.of("untrashed_post"));
    hooks.put(
        "customer.created",
        List.of("user_register", "woocommerce_created_customer", "woocommerce_new_customer"));
    hooks.put("customer.updated", List.of("profile_update", "woocommerce_update_customer"));
    hooks.put("customer.deleted", List.of("delete_user"));
    hooks.put("order.created", List.of("woocommerce_new_order"));
    hooks.put(
        "order.updated",
        List.of(
            "woocommerce_update_order",
            "woocommerce_order_refunded",
            "woocommerce_delete_order_refund"));
    hooks.put("order.deleted", List.of("wp_trash_post", "woocommerce_trash_order"));
    hooks.put("order.restored", List.of("untrashed_post", "woocommerce_untrash_order"));
    hooks.put(
        "product.created",
        List.of(
            "woocommerce_process_product_meta",
            "woocommerce_new_product",
            "woocommerce_new_product_variation"));
    hooks.put(
        "product.updated",
        List.of(
            "woocommerce_process_product_meta",
            "woocommerce_update_product",
            "woocommerce_update_product_variation"));
    hooks.put("product.deleted", List.of("wp_trash_post"));
    hooks.put("product.restored", List.of("untrashed_post"));
    hooks.put("product.published", List.of("woocommerce_product_published"));
    return Map.copyOf(hooks);
  }

  // ---------------------------------------------------------------- test data

  /** WooCommerce's state code (i18n/states.php), city, district, postcode. */
  private static final String[][] PLACES = {
    {"CN12", "杭州市", "西湖区", "310013"},
    {"CN12", "宁波市", "鄞州区", "315100"},
    {"CN20", "广州市", "天河区", "510630"},
    {"CN20", "深圳市", "南山区", "518052"},
    {"CN11", "南京市", "鼓楼区", "210008"},
    {"CN11", "苏州市", "姑苏区", "215000"},
    {"CN10", "上海市", "浦东新区", "200120"},
    {"CN2", "北京市", "朝阳区", "100020"},
    {"CN24", "成都市", "武侯区", "610041"},
    {"CN18", "武汉市", "洪山区", "430070"},
    {"CN14", "福州市", "鼓楼区", "350001"},
    {"CN14", "厦门市", "思明区", "361001"},
    {"CN16", "青岛市", "市南区", "266071"},
    {"CN1", "昆明市", "五华区", "650021"},
    {"CN19", "长沙市", "岳麓区", "410006"},
    {"CN23", "重庆市", "渝中区", "400010"},
  };

  private static final String[] STREETS = {
    "文三路", "中山路", "人民路", "解放路", "建设路", "南京路", "长江路", "和平街", "学院路", "滨江大道"
  };

  private static final String[] COMPANIES = {"茶语贸易有限公司", "云上科技有限公司", "禾木设计工作室"};

  private static final String[] SURNAMES =
      "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 肖 田 董 袁 潘 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 沈 姚 卢"
          .split(" ");

  private static final String[] SURNAME_PINYIN =
      ("wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng"
              + " liang xie song tang xu han feng deng cao peng zeng xiao tian dong yuan pan jiang"
              + " cai yu du ye cheng su wei lv ding shen yao lu")
          .split(" ");

  private static final String[] GIVEN =
      "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 霞 平 刚 华 玉 兰 萍 红 鹏 辉 文 斌 宇 浩 欣 怡 轩 涵 婷 俊 佳 琪 晨 阳 思 雪 梅 海 波 建 国 秀 英"
          .split(" ");

  private static final String[] GIVEN_PINYIN =
      ("wei fang na min jing li qiang lei jun yang yong yan jie juan tao ming chao xia ping gang"
              + " hua yu lan ping hong peng hui wen bin yu hao xin yi xuan han ting jun jia qi chen"
              + " yang si xue mei hai bo jian guo xiu ying")
          .split(" ");

  /** Given names of one character, then of two (GIVEN[i] + GIVEN[j] at i * n + j + n). */
  private static final String[] GIVEN_NAMES = combine(GIVEN);

  private static final String[] GIVEN_NAMES_PINYIN = combine(GIVEN_PINYIN);

  private static String[] combine(String[] single) {
    int n = single.length;
    String[] all = new String[n + n * n];
    for (int i = 0; i < n; i++) {
      all[i] = single[i];
      for (int j = 0; j < n; j++) {
        all[n + i * n + j] = single[i] + single[j];
      }
    }
    return all;
  }

  /** Second and third digits of mainland mobile numbers in use. */
  private static final String[] MOBILE_PREFIXES = {
    "30", "31", "32", "33", "35", "36", "37", "38", "39", "50", "51", "52", "55", "56", "57", "58",
    "59", "66", "77", "80", "81", "82", "86", "87", "88", "89", "91", "98", "99"
  };

  private static final String[] MAIL_DOMAINS = {
    "@sina.com", "@foxmail.com", "@163.com", "@gmail.com"
  };

  // ---------------------------------------------------------------- the shop's records

  /** A WordPress user as WooCommerce's customer; change it through {@link #update}. */
  public static final class Customer {
    public long id;
    public String email = "";
    public String firstName = "";
    public String lastName = "";
    public String username = "";

    /** WordPress's display_name, what {@code orderby=name} sorts by; not in the JSON. */
    public String displayName = "";

    public String role = "customer";
    public boolean payingCustomer;

    /** What WooCommerce Analytics reports of the customer's orders (not in the wc/v3 resource). */
    public int ordersCount;

    public java.math.BigDecimal totalSpent = java.math.BigDecimal.ZERO;
    public Instant dateCreated;
    public Instant dateModified;
    public final Address billing = new Address();
    public final Address shipping = new Address();

    /** In the order the API shows them; ids come from the server (see {@link #addMeta}). */
    public final List<Meta> metaData = new ArrayList<>(0);

    /** The first meta entry with this key, or null. */
    public Meta meta(String key) {
      return metaData.stream().filter(m -> m.key().equals(key)).findFirst().orElse(null);
    }

    @Override
    public String toString() {
      return "Customer " + id + " " + displayName + " modified " + dateModified;
    }
  }

  /** A billing or shipping address; WooCommerce keeps "" for a field not filled in. */
  public static final class Address {
    public String firstName = "";
    public String lastName = "";
    public String company = "";
    public String address1 = "";
    public String address2 = "";
    public String city = "";

    /** WooCommerce's state code, for China "CN1" to "CN32" (CN12 is Zhejiang). */
    public String state = "";

    public String postcode = "";
    public String country = "";

    /** Billing only; shipping has no e-mail. */
    public String email = "";

    public String phone = "";
  }

  /** One {@code meta_data} entry; the value is as the API shows it (see {@link #addMeta}). */
  public record Meta(long id, String key, JsonNode value) {}

  /** A webhook as the shop holds it, at the moment it was asked for. */
  public record Webhook(
      long id,
      String name,
      String status,
      String topic,
      String deliveryUrl,
      String secret,
      int failureCount,
      Instant dateCreated,
      Instant dateModified) {}

  private static final class Hook {
    long id;
    String name;
    String status = "active";
    String topic;
    String deliveryUrl;
    String secret;
    int failureCount;
    Instant dateCreated;
    Instant dateModified;

    Webhook snapshot() {
      return new Webhook(
          id, name, status, topic, deliveryUrl, secret, failureCount, dateCreated, dateModified);
    }
  }

  /** The sorted matches of the last customer query, reused while nothing changed. */
  private record Matches(String key, long version, List<Customer> customers) {}
}
