package com.onemember.connectors.shopify;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.time.ZoneOffset.UTC;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLContext;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.ParseAndValidate;
import graphql.ParseAndValidateResult;
import graphql.execution.CoercedVariables;
import graphql.execution.DataFetcherResult;
import graphql.execution.NonNullableFieldWasNullError;
import graphql.language.Argument;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.InlineFragment;
import graphql.language.IntValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
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
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local stand-in for one Shopify shop's Admin GraphQL API and its webhooks, over a real socket,
 * so that the Shopify connector (and the hub around it) is tested against the protocol and not
 * against mocks of our own client.
 *
 * <p>Every request is parsed, validated and executed by graphql-java against {@code
 * shopify/admin-subset.graphqls}, a subset of Shopify's schema with Shopify's names: a query that
 * asks for a field Shopify does not have, or passes an argument of the wrong type, gets the
 * standard {@code {"errors":[...]}} answer with HTTP 200, as Shopify gives it.
 *
 * <p>What else it does as Shopify does, because the connector has to cope with it:
 *
 * <ul>
 *   <li>HTTP-level refusals: 404 outside {@code /admin/api/YYYY-MM/graphql.json}, 405 for other
 *       methods than POST, 401 for a wrong {@code X-Shopify-Access-Token}, 400 for a body that is
 *       not JSON with a {@code query}, and whatever {@link #failNext} asks for (429, 5xx, ...).
 *   <li>Cost-based throttling with a leaky bucket (see {@link #cost}); a throttled request gets
 *       HTTP 200 with a {@code THROTTLED} error and the bucket in {@code extensions.cost}.
 *   <li>Cursor paging of {@code customers} with opaque cursors bound to one query, and the search
 *       syntax the connector uses. Shopify documents that {@code updated_at} filters match "a whole
 *       day", so the filter here is day-granular in UTC: {@code updated_at:>'X'} and {@code >=}
 *       keep customers updated on X's UTC date or later, {@code <} and {@code <=} those updated on
 *       X's date or earlier. A connector that trusts the filter to the second re-reads records here
 *       exactly as it would on Shopify.
 *   <li>Timestamps are stored to the second, as Shopify's {@code DateTime} shows them.
 *   <li>Webhooks signed with {@link #WEBHOOK_SECRET}; with {@link #notifyChangesTo} a mutation that
 *       changed a customer makes the shop send {@code customers/update} (without tags or
 *       metafields, as in API versions from 2025-01), so writeback loops can be tested.
 * </ul>
 */
public final class ShopifyServer implements AutoCloseable {

  public static final String SHOP_DOMAIN = "lin-tea.myshopify.com";
  public static final String ACCESS_TOKEN = "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";
  public static final String WEBHOOK_SECRET = "b4f1c7e2a9d3f6b8c0e5a2d7f4b1c8e3";

  /** The API version webhook payloads are serialized with. */
  public static final String WEBHOOK_API_VERSION = "2025-10";

  public static final long SHOP_ID = 60190000001L;

  /** Shopify refuses, before running it, a query whose requested cost is above this. */
  public static final int MAX_QUERY_COST = 1000;

  /** The largest page of a connection. */
  public static final int MAX_PAGE_SIZE = 250;

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern ENDPOINT =
      Pattern.compile("/admin/api/\\d{4}-\\d{2}/graphql\\.json");
  private static final Pattern TERM =
      Pattern.compile("(\\w+):(>=|<=|>|<)?('[^']*'|\"[^\"]*\"|\\S*)");
  private static final String CUSTOMER_GID = "gid://shopify/Customer/";
  private static final ZoneOffset SHOP_OFFSET = ZoneOffset.ofHours(8);
  private static final DateTimeFormatter SHOP_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
  private static final String THROTTLE_DOCS = "https://shopify.dev/api/usage/rate-limits";

  /** Headers java.net.http sets itself and refuses from callers; {@link #sendRaw} skips them. */
  private static final Set<String> RESTRICTED_HEADERS =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  private final HttpServer server;
  private final GraphQLSchema schema;
  private final GraphQL graphQL;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final ExecutorService notifier =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "shopify-webhooks");
            t.setDaemon(true);
            return t;
          });

  private final TreeMap<Long, Customer> store = new TreeMap<>();
  private final Map<String, Long> metafieldIds = new HashMap<>();
  private final List<String> operations = new ArrayList<>();

  /** Customers changed by the mutation being executed, for {@link #notifyChangesTo}. */
  private final Set<Long> changed = new LinkedHashSet<>();

  private long nextId = 7208000000001L;
  private long nextMetafieldId = 20937000000001L;
  private int requests;
  private volatile Clock clock = Clock.systemUTC();
  private volatile String hookUrl;

  private double maximumAvailable = 2000;
  private double restoreRate = 100;
  private double currentlyAvailable = 2000;
  private long refilledAt = System.nanoTime();

  private int faultsLeft;
  private int faultStatus;
  private String faultRetryAfter;

  /** Starts the shop on a free port of 127.0.0.1. */
  public ShopifyServer() throws IOException {
    schema = schema();
    graphQL = GraphQL.newGraphQL(schema).build();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** {@code http://127.0.0.1:<port>}; the connector appends the GraphQL path with its version. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  // ---------------------------------------------------------------- the store, for tests

  /** Adds a customer with the next id; created and updated now by the server's clock. */
  public synchronized Customer create(
      String firstName, String lastName, String email, String phone) {
    Customer c = new Customer();
    c.id = nextId++;
    c.firstName = firstName;
    c.lastName = lastName;
    c.email = email;
    c.phone = phone;
    c.createdAt = now();
    c.updatedAt = c.createdAt;
    store.put(c.id, c);
    return c;
  }

  /**
   * Changes a customer as a merchant would in the admin: the change, then updatedAt is now. No
   * webhook is sent: a test says which one the change should bring with {@link #sendWebhook}.
   */
  public synchronized void update(long id, Consumer<Customer> change) {
    Customer c = store.get(id);
    if (c == null) {
      throw new IllegalArgumentException("No customer " + id);
    }
    change.accept(c);
    c.updatedAt = now();
  }

  /** Deletes a customer: queries no longer return it (send customers/delete yourself). */
  public synchronized void delete(long id) {
    store.remove(id);
  }

  /** The live customer (change it through {@link #update}), or null. */
  public synchronized Customer customer(long id) {
    return store.get(id);
  }

  /** All customers by id. */
  public synchronized List<Customer> customers() {
    return new ArrayList<>(store.values());
  }

  /**
   * Adds {@code count} realistic customers of a Chinese tea shop, the same for the same seed, fast
   * enough for a 100,000-customer bench: phones and emails are unique, as Shopify requires.
   */
  public synchronized void generate(int count, long seed) {
    String[] surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢".split("");
    String[] given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩欣怡子轩梓涵雨婷俊佳琪晨阳思".split("");
    String[][] places = {
      {"Zhejiang", "ZJ", "杭州市", "310000"}, {"Zhejiang", "ZJ", "宁波市", "315000"},
      {"Guangdong", "GD", "广州市", "510000"}, {"Guangdong", "GD", "深圳市", "518000"},
      {"Jiangsu", "JS", "南京市", "210000"}, {"Jiangsu", "JS", "苏州市", "215000"},
      {"Shanghai", "SH", "上海市", "200000"}, {"Beijing", "BJ", "北京市", "100000"},
      {"Sichuan", "SC", "成都市", "610000"}, {"Hubei", "HB", "武汉市", "430000"},
      {"Fujian", "FJ", "福州市", "350000"}, {"Fujian", "FJ", "厦门市", "361000"},
      {"Shandong", "SD", "青岛市", "266000"}, {"Yunnan", "YN", "昆明市", "650000"}
    };
    String[] streets = {"文三路", "中山路", "人民路", "解放路", "建设路", "南京路", "长江路", "和平街"};
    String[] mailDomains = {"qq.com", "163.com", "126.com", "sina.com", "foxmail.com"};
    Random random = new Random(seed);
    Set<String> phones = new HashSet<>();
    Set<String> emails = new HashSet<>();
    store
        .values()
        .forEach(
            c -> {
              phones.add(c.phone);
              emails.add(c.email);
            });
    Instant now = now();
    for (int i = 0; i < count; i++) {
      String phone;
      do {
        phone =
            "+861" + (3 + random.nextInt(7)) + String.format("%09d", random.nextInt(1_000_000_000));
      } while (!phones.add(phone));
      String email = null;
      if (random.nextInt(10) < 4) {
        do {
          email = (10000 + random.nextInt(2_000_000_000)) + "@" + mailDomains[random.nextInt(5)];
        } while (!emails.add(email));
      }
      String first = given[random.nextInt(given.length)];
      if (random.nextBoolean()) {
        first += given[random.nextInt(given.length)];
      }
      Customer c = create(first, surnames[random.nextInt(surnames.length)], email, phone);
      c.createdAt = now.minus(30 + random.nextInt(1000), ChronoUnit.DAYS);
      c.updatedAt = now.minusSeconds(random.nextInt(30 * 24 * 3600));
      if (random.nextInt(10) < 8) {
        String[] p = places[random.nextInt(places.length)];
        String address2 =
            random.nextInt(3) == 0
                ? (1 + random.nextInt(20)) + "栋" + (101 + random.nextInt(1500)) + "室"
                : null;
        c.defaultAddress =
            new Address(
                streets[random.nextInt(streets.length)] + (1 + random.nextInt(400)) + "号",
                address2,
                p[2],
                p[0],
                p[1],
                "China",
                "CN",
                p[3],
                phone);
      }
      c.numberOfOrders = random.nextInt(41);
      long cents = c.numberOfOrders * (3000L + random.nextInt(77000));
      c.amountSpent = BigDecimal.valueOf(cents, 2).toPlainString();
      if (random.nextInt(10) == 0) {
        c.tags.add("VIP");
      }
      if (random.nextInt(20) == 0) {
        c.note = "喜欢乌龙茶，节日前联系";
      }
    }
  }

  /** The clock for createdAt, updatedAt and webhook times; the throttle uses real time. */
  public void setClock(Clock clock) {
    this.clock = clock;
  }

  /** A new, full bucket of {@code maximumAvailable} points restored at {@code restoreRate}/s. */
  public synchronized void throttle(double maximumAvailable, double restoreRate) {
    this.maximumAvailable = maximumAvailable;
    this.restoreRate = restoreRate;
    this.currentlyAvailable = maximumAvailable;
    this.refilledAt = System.nanoTime();
  }

  /**
   * The next {@code times} GraphQL requests are answered with HTTP {@code status} and a
   * Shopify-like {@code {"errors":"..."}} body, with a {@code Retry-After} header when {@code
   * retryAfter} is not null. The fault comes before the method, token and body are looked at, as a
   * proxy or load balancer in front of the shop would answer; a wrong path still gets its 404.
   */
  public synchronized void failNext(int times, int status, String retryAfter) {
    faultsLeft = times;
    faultStatus = status;
    faultRetryAfter = retryAfter;
  }

  /**
   * The next read of the customer list ({@code customers(...)}, not a mutation) runs {@code first}
   * before its answer is computed, counts {@code answered} down once it is, and waits for {@code
   * release} (at most a minute) before sending it: a test changes the shop meanwhile, as happens
   * when a read is in flight while webhooks arrive. Requests behind it wait too (one thread).
   */
  public void holdNextRead(Runnable first, CountDownLatch answered, CountDownLatch release) {
    held.set(new Hold(first, answered, release));
  }

  private record Hold(Runnable first, CountDownLatch answered, CountDownLatch release) {}

  private final AtomicReference<Hold> held = new AtomicReference<>();

  /** Where to send customers/update after a mutation changed a customer; null turns it off. */
  public void notifyChangesTo(String hookUrl) {
    this.hookUrl = hookUrl;
  }

  /**
   * For each request that reached GraphQL (path, token and JSON accepted), its root field names
   * joined by "+", in order; throttled and invalid queries too; "" for one that did not parse.
   */
  public synchronized List<String> operations() {
    return List.copyOf(operations);
  }

  /** HTTP requests to the GraphQL endpoint, refused ones included (not those to other paths). */
  public synchronized int requests() {
    return requests;
  }

  @Override
  public void close() {
    server.stop(0);
    notifier.shutdown();
  }

  // ---------------------------------------------------------------- HTTP

  private record Reply(int status, String body, String retryAfter) {}

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    Hold hold =
        ENDPOINT.matcher(exchange.getRequestURI().getPath()).matches()
                && new String(body, UTF_8).contains("customers(")
            ? held.getAndSet(null)
            : null;
    if (hold != null) {
      hold.first().run();
    }
    Reply reply;
    try {
      reply =
          reply(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              exchange.getRequestHeaders().getFirst("X-Shopify-Access-Token"),
              body);
    } catch (RuntimeException e) { // a bug here: say so instead of dropping the connection
      reply = new Reply(500, errors("An unexpected error occurred: " + e), null);
    }
    if (hold != null) {
      hold.answered().countDown();
      try {
        hold.release().await(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    byte[] bytes = reply.body().getBytes(UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    if (reply.retryAfter() != null) {
      exchange.getResponseHeaders().set("Retry-After", reply.retryAfter());
    }
    exchange.sendResponseHeaders(reply.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The whole answer, under the lock, so that a request sees and changes the shop atomically. */
  private synchronized Reply reply(String method, String path, String token, byte[] body) {
    if (!ENDPOINT.matcher(path).matches()) {
      return new Reply(404, errors("Not Found"), null);
    }
    requests++;
    if (faultsLeft > 0) {
      faultsLeft--;
      return new Reply(faultStatus, errors(faultMessage(faultStatus)), faultRetryAfter);
    }
    if (!"POST".equals(method)) {
      return new Reply(405, errors("Method Not Allowed"), null);
    }
    if (!ACCESS_TOKEN.equals(token)) {
      return new Reply(
          401,
          errors("[API] Invalid API key or access token (unrecognized login or wrong password)"),
          null);
    }
    JsonNode request;
    try {
      request = JSON.readTree(body);
    } catch (JacksonException e) {
      request = null;
    }
    if (request == null || !request.path("query").isString()) {
      return new Reply(
          400, "{\"errors\":{\"query\":\"Required parameter missing or invalid\"}}", null);
    }
    return new Reply(200, graphql(request), null);
  }

  private static String faultMessage(int status) {
    return switch (status) {
      case 429 ->
          "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.";
      case 402 -> "This shop's plan does not have access to this feature";
      case 403 -> "User does not have access";
      case 423 -> "This shop is unavailable";
      default -> "An unexpected error occurred";
    };
  }

  private static String errors(String message) {
    return JSON.createObjectNode().put("errors", message).toString();
  }

  // ---------------------------------------------------------------- GraphQL

  @SuppressWarnings("unchecked")
  private String graphql(JsonNode request) {
    JsonNode vars = request.path("variables");
    Map<String, Object> variables = vars.isObject() ? JSON.convertValue(vars, Map.class) : Map.of();
    JsonNode name = request.path("operationName");
    ExecutionInput input =
        ExecutionInput.newExecutionInput()
            .query(request.get("query").asString())
            .variables(variables)
            .operationName(name.isString() ? name.asString() : null)
            .build();
    ParseAndValidateResult checked = ParseAndValidate.parseAndValidate(schema, input);
    OperationDefinition operation = operation(checked.getDocument(), input.getOperationName());
    operations.add(
        operation == null
            ? ""
            : rootFields(operation).stream().map(Field::getName).collect(Collectors.joining("+")));
    if (checked.isFailure()) {
      ObjectNode answer = JSON.createObjectNode();
      answer.set("errors", JSON.valueToTree(specification(checked.getErrors())));
      return answer.toString();
    }
    int cost = operation == null ? 0 : cost(operation, variables);
    if (cost > MAX_QUERY_COST) {
      String message = "Query cost is %d, which exceeds the single query max cost limit (%d).";
      ObjectNode answer = error(message.formatted(cost, MAX_QUERY_COST), "MAX_COST_EXCEEDED");
      ((ObjectNode) answer.get("errors").get(0).get("extensions"))
          .put("cost", cost)
          .put("maxCost", MAX_QUERY_COST);
      return answer.toString();
    }
    long now = System.nanoTime();
    currentlyAvailable =
        Math.min(maximumAvailable, currentlyAvailable + (now - refilledAt) / 1e9 * restoreRate);
    refilledAt = now;
    if (currentlyAvailable < cost) {
      ObjectNode answer = error("Throttled", "THROTTLED");
      answer.putObject("extensions").set("cost", cost(cost, null));
      return answer.toString();
    }
    currentlyAvailable -= cost;
    changed.clear();
    ExecutionResult result = graphQL.execute(input);
    notifyChanged();
    // A failed non-null field also yields graphql-java's own "was null" error; Shopify shows one.
    List<GraphQLError> errors = new ArrayList<>(result.getErrors());
    if (errors.stream().anyMatch(e -> !(e instanceof NonNullableFieldWasNullError))) {
      errors.removeIf(e -> e instanceof NonNullableFieldWasNullError);
    }
    ObjectNode answer = JSON.createObjectNode();
    if (!errors.isEmpty()) {
      answer.set("errors", JSON.valueToTree(specification(errors)));
    }
    if (result.isDataPresent()) {
      answer.set("data", JSON.valueToTree(result.getData()));
    }
    answer.putObject("extensions").set("cost", cost(cost, cost));
    return answer.toString();
  }

  /** {@code {"errors":[{"message", "extensions":{"code", "documentation"}}]}}, as Shopify's. */
  private static ObjectNode error(String message, String code) {
    ObjectNode answer = JSON.createObjectNode();
    ObjectNode error = answer.putArray("errors").addObject().put("message", message);
    error.putObject("extensions").put("code", code).put("documentation", THROTTLE_DOCS);
    return answer;
  }

  private static List<Map<String, Object>> specification(List<GraphQLError> errors) {
    return errors.stream().map(GraphQLError::toSpecification).toList();
  }

  private ObjectNode cost(int requested, Integer actual) {
    ObjectNode cost = JSON.createObjectNode();
    cost.put("requestedQueryCost", requested);
    cost.put("actualQueryCost", actual);
    cost.putObject("throttleStatus")
        .put("maximumAvailable", maximumAvailable)
        .put("currentlyAvailable", (long) Math.floor(currentlyAvailable))
        .put("restoreRate", restoreRate);
    return cost;
  }

  /**
   * The requested cost, simpler than Shopify's but of the same size for the connector's queries:
   * each mutation root field 10; each query root field 1, plus 2 per requested customer for {@code
   * customers(first|last: N)} (the connection and each node with its objects). Shopify would refund
   * the unused part after the query; this server does not.
   */
  static int cost(OperationDefinition operation, Map<String, Object> variables) {
    long cost = 0;
    for (Field field : rootFields(operation)) {
      if (operation.getOperation() == OperationDefinition.Operation.MUTATION) {
        cost += 10;
      } else {
        cost += 1;
        if (field.getName().equals("customers")) {
          cost +=
              2L
                  * Math.max(
                      intArgument(field, "first", variables),
                      intArgument(field, "last", variables));
        }
      }
    }
    return (int) Math.min(cost, Integer.MAX_VALUE);
  }

  private static long intArgument(Field field, String name, Map<String, Object> variables) {
    for (Argument argument : field.getArguments()) {
      if (argument.getName().equals(name)) {
        Value<?> value = argument.getValue();
        Object v =
            value instanceof VariableReference r
                ? variables.get(r.getName())
                : value instanceof IntValue i ? i.getValue() : null;
        return v instanceof Number n ? Math.max(0, n.longValue()) : 0;
      }
    }
    return 0;
  }

  private static OperationDefinition operation(Document document, String name) {
    if (document == null) {
      return null;
    }
    List<OperationDefinition> all = document.getDefinitionsOfType(OperationDefinition.class);
    return all.stream()
        .filter(o -> name == null || name.equals(o.getName()))
        .findFirst()
        .orElse(null);
  }

  private static List<Field> rootFields(OperationDefinition operation) {
    List<Field> fields = new ArrayList<>();
    collect(operation.getSelectionSet().getSelections(), fields);
    return fields;
  }

  private static void collect(List<Selection> selections, List<Field> fields) {
    for (Selection<?> s : selections) {
      if (s instanceof Field f) {
        fields.add(f);
      } else if (s instanceof InlineFragment i) {
        collect(i.getSelectionSet().getSelections(), fields);
      }
    }
  }

  private GraphQLSchema schema() throws IOException {
    String sdl;
    try (InputStream in =
        ShopifyServer.class.getResourceAsStream("/shopify/admin-subset.graphqls")) {
      sdl = new String(Objects.requireNonNull(in, "admin-subset.graphqls").readAllBytes(), UTF_8);
    }
    // The public fields and displayName() are read by graphql-java's default fetcher.
    Map<String, DataFetcher> customer = new HashMap<>();
    customer.put("id", e -> gid(e.<Customer>getSource().id));
    customer.put("legacyResourceId", e -> e.<Customer>getSource().id);
    customer.put(
        "defaultEmailAddress", e -> contact("emailAddress", e.<Customer>getSource().email));
    customer.put("defaultPhoneNumber", e -> contact("phoneNumber", e.<Customer>getSource().phone));
    customer.put("verifiedEmail", e -> e.<Customer>getSource().email != null);
    customer.put("amountSpent", e -> money(e.getSource()));
    customer.put(
        "metafield",
        e -> metafield(e.getSource(), e.getArgument("namespace"), e.getArgument("key")));
    RuntimeWiring wiring =
        RuntimeWiring.newRuntimeWiring()
            .scalar(scalar("DateTime"))
            .scalar(scalar("Decimal"))
            .scalar(scalar("UnsignedInt64"))
            .scalar(scalar("URL"))
            .type(
                "Query",
                t ->
                    t.dataFetcher("customers", this::customersPage)
                        .dataFetcher("customer", e -> byGid(e.getArgument("id"))))
            .type(
                "Mutation",
                t ->
                    t.dataFetcher("metafieldsSet", this::metafieldsSet)
                        .dataFetcher("tagsAdd", e -> tags(e, true))
                        .dataFetcher("tagsRemove", e -> tags(e, false)))
            .type("Node", t -> t.typeResolver(e -> e.getSchema().getObjectType("Customer")))
            .type("Customer", t -> t.dataFetchers(customer))
            .build();
    return new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(sdl), wiring);
  }

  private static Map<String, Object> contact(String name, String value) {
    return value == null ? null : Map.of(name, value, "marketingState", "NOT_SUBSCRIBED");
  }

  private static Map<String, Object> money(Customer c) {
    return Map.of("amount", c.amountSpent, "currencyCode", c.currencyCode);
  }

  private Map<String, Object> metafield(Customer c, String namespace, String key) {
    Metafield m = c.metafields.get(Objects.requireNonNullElse(namespace, "$app") + "." + key);
    return m == null ? null : metafield(c, m);
  }

  /** A scalar that travels as a JSON string, as Shopify's DateTime, Decimal and UnsignedInt64. */
  private static GraphQLScalarType scalar(String name) {
    Coercing<String, String> coercing =
        new Coercing<>() {
          @Override
          public String serialize(Object value, GraphQLContext context, Locale locale) {
            return value.toString();
          }

          @Override
          public String parseValue(Object value, GraphQLContext context, Locale locale) {
            if (value instanceof String || value instanceof Number) {
              return value.toString();
            }
            throw new CoercingParseValueException("Expected a string for " + name + ": " + value);
          }

          @Override
          public String parseLiteral(
              Value<?> value, CoercedVariables variables, GraphQLContext context, Locale locale) {
            if (value instanceof StringValue s) {
              return s.getValue();
            }
            throw new CoercingParseLiteralException("Expected a string for " + name);
          }
        };
    return GraphQLScalarType.newScalar().name(name).coercing(coercing).build();
  }

  private static DataFetcherResult<Object> failure(DataFetchingEnvironment env, String message) {
    return DataFetcherResult.<Object>newResult()
        .error(GraphqlErrorBuilder.newError(env).message(message).build())
        .build();
  }

  // ---------------------------------------------------------------- customers(...)

  /**
   * A position in one sort order: the sort value (text for NAME, a number otherwise) and the id
   * that breaks ties, as Shopify's cursors hold {@code last_id} and {@code last_value}.
   */
  private record Key(String text, long value, long id, Customer customer)
      implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = text.compareTo(o.text);
      c = c != 0 ? c : Long.compare(value, o.value);
      return c != 0 ? c : Long.compare(id, o.id);
    }

    /** How to key a customer in this sort, chosen once per page rather than per customer. */
    static Function<Customer, Key> of(String sortKey) {
      return switch (sortKey) {
        case "UPDATED_AT" -> c -> new Key("", c.updatedAt.toEpochMilli(), c.id, c);
        case "CREATED_AT" -> c -> new Key("", c.createdAt.toEpochMilli(), c.id, c);
        case "NAME" -> c -> new Key(c.displayName().toLowerCase(Locale.ROOT), 0, c.id, c);
        default -> c -> new Key("", c.id, c.id, c); // ID; RELEVANCE and LOCATION fall back to it
      };
    }

    String cursor(String scope) {
      ObjectNode n = JSON.createObjectNode().put("last_id", id).put("last_value", value);
      n.put("text", text).put("scope", scope);
      return Base64.getUrlEncoder().encodeToString(n.toString().getBytes(UTF_8));
    }

    /** The cursor's key, null for none; refused when it was made for another query. */
    static Key decode(String cursor, String scope) {
      if (cursor == null) {
        return null;
      }
      try {
        JsonNode n = JSON.readTree(Base64.getUrlDecoder().decode(cursor));
        if (scope.equals(n.path("scope").asString(""))) {
          return new Key(
              n.path("text").asString(""),
              n.path("last_value").asLong(),
              n.path("last_id").asLong(),
              null);
        }
      } catch (IllegalArgumentException | JacksonException e) {
        // not one of ours: refused below
      }
      throw new IllegalArgumentException("Invalid cursor for current pagination sort.");
    }
  }

  private Object customersPage(DataFetchingEnvironment env) {
    Integer first = env.getArgument("first");
    Integer last = env.getArgument("last");
    if (first == null && last == null) {
      return failure(env, "you must provide one of first or last");
    }
    int size = first != null ? first : last;
    if (size > MAX_PAGE_SIZE || size < 0) {
      return failure(env, "The page size must be less than or equal to " + MAX_PAGE_SIZE);
    }
    String query = env.getArgument("query");
    String sortKey = Objects.requireNonNullElse(env.getArgument("sortKey"), "ID");
    boolean reverse = Boolean.TRUE.equals(env.getArgument("reverse"));
    String scope = Integer.toHexString(Objects.hash(query, sortKey, reverse));
    Key after;
    Key before;
    Predicate<Customer> filter;
    try {
      after = Key.decode(env.getArgument("after"), scope);
      before = Key.decode(env.getArgument("before"), scope);
      filter = filter(query);
    } catch (IllegalArgumentException e) {
      return failure(env, e.getMessage());
    }
    boolean backward = first == null;
    int direction = (reverse ? -1 : 1) * (backward ? -1 : 1);
    Comparator<Key> walk = (a, b) -> direction * a.compareTo(b);
    Key from = backward ? before : after;
    Key to = backward ? after : before;
    // The best size+1 in walking order, without sorting 100,000 customers for each page.
    Function<Customer, Key> keyOf = Key.of(sortKey);
    PriorityQueue<Key> best = new PriorityQueue<>((a, b) -> walk.compare(b, a));
    boolean skipped = false;
    for (Customer c : store.values()) {
      if (!filter.test(c)) {
        continue;
      }
      Key k = keyOf.apply(c);
      if (to != null && walk.compare(k, to) >= 0) {
        continue;
      }
      if (from != null && walk.compare(k, from) <= 0) {
        skipped = true;
        continue;
      }
      if (best.size() <= size) {
        best.add(k);
      } else if (walk.compare(k, best.peek()) < 0) {
        best.poll();
        best.add(k);
      }
    }
    List<Key> page = new ArrayList<>(best);
    page.sort(walk);
    boolean more = page.size() > size;
    page = new ArrayList<>(page.subList(0, Math.min(size, page.size())));
    if (backward) {
      Collections.reverse(page);
    }
    List<Map<String, Object>> edges = new ArrayList<>();
    for (Key k : page) {
      edges.add(Map.of("cursor", k.cursor(scope), "node", k.customer()));
    }
    Map<String, Object> pageInfo = new HashMap<>();
    pageInfo.put("hasNextPage", backward ? skipped : more);
    pageInfo.put("hasPreviousPage", backward ? more : skipped);
    pageInfo.put("startCursor", edges.isEmpty() ? null : edges.get(0).get("cursor"));
    pageInfo.put("endCursor", edges.isEmpty() ? null : edges.get(edges.size() - 1).get("cursor"));
    return Map.of(
        "nodes", page.stream().map(Key::customer).toList(), "edges", edges, "pageInfo", pageInfo);
  }

  /**
   * The customers a search query keeps: {@code updated_at} with {@code > >= < <=} (day-granular in
   * UTC, see the class comment), {@code email:} (exact, any case) and {@code id:} with a
   * comparator; terms are joined by spaces or AND. Other terms are ignored, as Shopify ignores
   * unknown search fields.
   */
  private static Predicate<Customer> filter(String query) {
    Predicate<Customer> keep = c -> true;
    if (query == null) {
      return keep;
    }
    Matcher m = TERM.matcher(query);
    while (m.find()) {
      String op = Objects.requireNonNullElse(m.group(2), "");
      String value = m.group(3).replaceAll("^['\"]|['\"]$", "");
      Predicate<Customer> term =
          switch (m.group(1)) {
            case "updated_at" -> {
              LocalDate day = day(value);
              yield c -> {
                int cmp = LocalDate.ofInstant(c.updatedAt, UTC).compareTo(day);
                return op.startsWith(">") ? cmp >= 0 : op.startsWith("<") ? cmp <= 0 : cmp == 0;
              };
            }
            case "email" -> c -> value.equalsIgnoreCase(c.email);
            case "id" -> {
              long id = number(value);
              yield c -> compare(Long.compare(c.id, id), op);
            }
            default -> c -> true;
          };
      keep = keep.and(term);
    }
    return keep;
  }

  private static boolean compare(int cmp, String op) {
    return switch (op) {
      case ">" -> cmp > 0;
      case ">=" -> cmp >= 0;
      case "<" -> cmp < 0;
      case "<=" -> cmp <= 0;
      default -> cmp == 0;
    };
  }

  private static long number(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Invalid search value: " + value);
    }
  }

  private static LocalDate day(String value) {
    try {
      return OffsetDateTime.parse(value).atZoneSameInstant(UTC).toLocalDate();
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(value);
      } catch (DateTimeParseException again) {
        throw new IllegalArgumentException("Invalid date in search query: " + value);
      }
    }
  }

  // ---------------------------------------------------------------- mutations

  private Object metafieldsSet(DataFetchingEnvironment env) {
    List<Map<String, Object>> inputs = env.getArgument("metafields");
    List<Map<String, Object>> errors = new ArrayList<>();
    if (inputs.size() > 25) {
      errors.add(
          userError(
              null,
              null,
              "Exceeded the maximum metafields input limit of 25.",
              "LESS_THAN_OR_EQUAL_TO"));
    }
    for (int i = 0; i < inputs.size(); i++) {
      Map<String, Object> in = inputs.get(i);
      if (byGid((String) in.get("ownerId")) == null) {
        errors.add(userError(i, "ownerId", "Owner does not exist", "INVALID"));
      }
      if (in.get("type") == null || in.get("type").toString().isBlank()) {
        errors.add(userError(i, "type", "Type can't be blank", "BLANK"));
      }
    }
    if (!errors.isEmpty()) { // atomic: nothing saved
      return map("metafields", null, "userErrors", errors);
    }
    List<Map<String, Object>> saved = new ArrayList<>();
    for (Map<String, Object> in : inputs) {
      Customer c = byGid((String) in.get("ownerId"));
      String namespace = Objects.requireNonNullElse((String) in.get("namespace"), "$app");
      Metafield m =
          new Metafield(
              namespace, (String) in.get("key"), (String) in.get("type"), (String) in.get("value"));
      if (!m.equals(c.metafields.put(namespace + "." + m.key(), m))) {
        touch(c);
      }
      saved.add(metafield(c, m));
    }
    return map("metafields", saved, "userErrors", List.of());
  }

  private static Map<String, Object> userError(
      Integer i, String field, String message, String code) {
    List<String> path = i == null ? List.of("metafields") : List.of("metafields", "" + i, field);
    return map("field", path, "message", message, "code", code, "elementIndex", i);
  }

  /** tagsAdd and tagsRemove; like Shopify, a tag given as "a, b" counts as two. */
  private Object tags(DataFetchingEnvironment env, boolean add) {
    Customer c = byGid(env.getArgument("id"));
    List<String> given = env.getArgument("tags");
    List<String> tags =
        given.stream()
            .flatMap(t -> Pattern.compile(",").splitAsStream(t))
            .map(String::trim)
            .filter(t -> !t.isEmpty())
            .toList();
    if (c == null || tags.isEmpty()) {
      String field = c == null ? "id" : "tags";
      String message = c == null ? "Resource not found" : "Tags can't be blank";
      return map(
          "node", null, "userErrors", List.of(map("field", List.of(field), "message", message)));
    }
    boolean changes = false;
    for (String tag : tags) {
      changes |= add ? !c.tags.contains(tag) && c.tags.add(tag) : c.tags.remove(tag);
    }
    if (changes) {
      touch(c);
    }
    return map("node", c, "userErrors", List.of());
  }

  private void touch(Customer c) {
    c.updatedAt = now();
    changed.add(c.id);
  }

  /** Sends customers/update for each customer the last mutation changed, as the shop would. */
  private void notifyChanged() {
    String url = hookUrl;
    if (url != null) {
      for (long id : changed) {
        Customer c = store.get(id);
        if (c != null) {
          byte[] body = webhookBody("customers/update", c);
          Map<String, String> headers = webhookHeaders("customers/update", body, null);
          notifier.execute(
              () -> {
                try {
                  sendRaw(url, headers, body);
                } catch (IOException e) {
                  // lost, as a delivery to an endpoint that is down: the test sees it missing
                }
              });
        }
      }
    }
    changed.clear();
  }

  private Map<String, Object> metafield(Customer c, Metafield m) {
    long id =
        metafieldIds.computeIfAbsent(
            c.id + "/" + m.namespace() + "." + m.key(), k -> nextMetafieldId++);
    Map<String, Object> view = map("id", "gid://shopify/Metafield/" + id, "type", m.type());
    view.putAll(map("namespace", m.namespace(), "key", m.key(), "value", m.value()));
    return view;
  }

  private Customer byGid(String gid) {
    if (gid == null || !gid.startsWith(CUSTOMER_GID)) {
      return null;
    }
    try {
      return store.get(Long.parseLong(gid.substring(CUSTOMER_GID.length())));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A map that, unlike Map.of, takes nulls and keeps its order. */
  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static String gid(long id) {
    return CUSTOMER_GID + id;
  }

  private Instant now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS);
  }

  // ---------------------------------------------------------------- webhooks

  /** Sends a signed webhook as Shopify would; answers the receiver's HTTP status. */
  public int sendWebhook(String hookUrl, String topic, Customer customer) throws IOException {
    byte[] body = webhookBody(topic, customer);
    return sendRaw(hookUrl, webhookHeaders(topic, body, null), body);
  }

  /**
   * POSTs exactly these headers and bytes (for bad signatures, replays, oversized bodies); headers
   * with a null value, and those java.net.http sets itself (Content-Length, Host...), are skipped.
   */
  public int sendRaw(String hookUrl, Map<String, String> headers, byte[] body) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(hookUrl))
            .timeout(Duration.ofSeconds(10))
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

  /** Base64 HMAC-SHA256 of {@code body} keyed with {@link #WEBHOOK_SECRET}, as Shopify signs. */
  public static String hmac(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(UTF_8), "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The headers {@link #sendWebhook} sends; a new webhook id when {@code webhookId} is null. */
  public Map<String, String> webhookHeaders(String topic, byte[] body, String webhookId) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("X-Shopify-Topic", topic);
    headers.put("X-Shopify-Hmac-Sha256", hmac(body));
    headers.put("X-Shopify-Shop-Domain", SHOP_DOMAIN);
    headers.put("X-Shopify-API-Version", WEBHOOK_API_VERSION);
    headers.put(
        "X-Shopify-Webhook-Id", webhookId != null ? webhookId : UUID.randomUUID().toString());
    headers.put("X-Shopify-Triggered-At", Instant.now(clock).toString());
    headers.put("X-Shopify-Event-Id", UUID.randomUUID().toString());
    return headers;
  }

  /**
   * The REST-shaped payload of {@code topic} (API version {@value #WEBHOOK_API_VERSION}) for {@code
   * customer}, which may be null only for shop/redact.
   */
  public synchronized byte[] webhookBody(String topic, Customer customer) {
    ObjectNode b = JSON.createObjectNode();
    if (topic.startsWith("customers/")) {
      Objects.requireNonNull(customer, "customer");
    }
    Customer c = customer;
    switch (topic) {
      case "customers/create", "customers/update" -> {
        b.put("id", c.id).put("email", c.email);
        b.put("created_at", shopTime(c.createdAt)).put("updated_at", shopTime(c.updatedAt));
        b.put("first_name", c.firstName).put("last_name", c.lastName);
        b.put("state", c.state.toLowerCase(Locale.ROOT)).put("note", c.note);
        b.put("verified_email", c.email != null).putNull("multipass_identifier");
        b.put("tax_exempt", false).put("phone", c.phone).put("currency", c.currencyCode);
        ArrayNode addresses = b.putArray("addresses");
        b.putArray("tax_exemptions");
        b.put("admin_graphql_api_id", gid(c.id));
        if (c.defaultAddress != null) {
          addresses.add(address(c));
          b.set("default_address", address(c));
        }
      }
      case "customers/delete" -> {
        b.put("id", c.id).putNull("phone");
        b.putArray("addresses");
        b.putArray("tax_exemptions");
        b.put("admin_graphql_api_id", gid(c.id));
      }
      case "customers/redact", "customers/data_request", "shop/redact" -> {
        b.put("shop_id", SHOP_ID).put("shop_domain", SHOP_DOMAIN);
        if (c != null && !topic.equals("shop/redact")) {
          if (topic.equals("customers/data_request")) {
            b.putArray("orders_requested");
          }
          b.putObject("customer").put("id", c.id).put("email", c.email).put("phone", c.phone);
          if (topic.equals("customers/redact")) {
            b.putArray("orders_to_redact");
          } else {
            b.putObject("data_request").put("id", 9999);
          }
        }
      }
      default -> throw new IllegalArgumentException("Unknown webhook topic " + topic);
    }
    return JSON.writeValueAsBytes(b);
  }

  private static ObjectNode address(Customer c) {
    Address a = c.defaultAddress;
    ObjectNode n = JSON.createObjectNode();
    n.put("id", c.id + 1198000000000L).put("customer_id", c.id);
    n.put("first_name", c.firstName).put("last_name", c.lastName).putNull("company");
    n.put("address1", a.address1()).put("address2", a.address2()).put("city", a.city());
    n.put("province", a.province()).put("country", a.country()).put("zip", a.zip());
    n.put("phone", a.phone()).put("name", fullName(c.firstName, c.lastName));
    n.put("province_code", a.provinceCode()).put("country_code", a.countryCodeV2());
    n.put("country_name", a.country()).put("default", true);
    return n;
  }

  private static String fullName(String first, String last) {
    String f = Objects.toString(first, "");
    String l = Objects.toString(last, "");
    boolean chinese =
        (f + l)
            .codePoints()
            .anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN);
    return chinese ? (l + f).trim() : (f + " " + l).trim();
  }

  private static String shopTime(Instant instant) {
    return instant == null ? null : SHOP_TIME.format(instant.atOffset(SHOP_OFFSET));
  }

  // ---------------------------------------------------------------- the shop's data

  /** A customer as the shop holds it; change it through {@link ShopifyServer#update}. */
  public static final class Customer {
    public long id;
    public String firstName;
    public String lastName;
    public String email;
    public String phone;
    public String note;
    public String state = "ENABLED";
    public List<String> tags = new ArrayList<>();
    public Instant createdAt;
    public Instant updatedAt;
    public long numberOfOrders;
    public String amountSpent = "0.00";
    public String currencyCode = "CNY";
    public Address defaultAddress;

    /** Keyed "namespace.key". */
    public Map<String, Metafield> metafields = new LinkedHashMap<>();

    /**
     * The name, else the email, else the phone. A Chinese name is written family name first with no
     * space (王明), as a Chinese shop shows it; others "first last".
     */
    public String displayName() {
      String name = fullName(firstName, lastName);
      return !name.isEmpty() ? name : email != null ? email : Objects.toString(phone, "");
    }

    @Override
    public String toString() {
      return "Customer " + id + " " + displayName() + " updated " + updatedAt;
    }
  }

  public record Address(
      String address1,
      String address2,
      String city,
      String province,
      String provinceCode,
      String country,
      String countryCodeV2,
      String zip,
      String phone) {}

  public record Metafield(String namespace, String key, String type, String value) {}
}
