package com.onemember.hub.console;

import static com.onemember.hub.support.MemberSheet.aSheet;
import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.api.client.model.Member;
import com.onemember.hub.support.HubIT;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console in Debian's headless Chromium, driven through its chromedriver, against the whole hub
 * on a real port: log in, upload a demo file through the preview, settle a review by keyboard, open
 * a member and unmerge it with a reason, find the entry in the merge log, switch the language; a
 * steward cannot reach the token admin; an auditor sees masked phones. Every page is checked with
 * axe-core (WCAG 2 A and AA rules) and photographed under {@code target/console-screenshots/}, the
 * overview, member and review pages at phone width too.
 *
 * <p>Without {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} the class is skipped with
 * a message, unless the environment says {@code ONEMEMBER_BROWSER_TESTS=required} (CI's run
 * installs both and sets it, so there it can never be skipped).
 */
class ConsoleBrowserIT extends HubIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SHOTS = Path.of("target", "console-screenshots");
  private static final Dimension DESKTOP = new Dimension(1280, 900);
  private static final Dimension PHONE = new Dimension(360, 780);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static ChromeDriver driver;
  private static Path profile;
  private static String axe;

  private final String suffix = UUID.randomUUID().toString().substring(0, 6);

  @BeforeAll
  static void browser() throws IOException {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present && "required".equals(System.getenv("ONEMEMBER_BROWSER_TESTS"))) {
      throw new IllegalStateException(
          "ONEMEMBER_BROWSER_TESTS=required but /usr/bin/chromium or /usr/bin/chromedriver is"
              + " missing: apt-get install chromium chromium-driver");
    }
    Assumptions.assumeTrue(
        present,
        "no /usr/bin/chromium and /usr/bin/chromedriver: the console's browser tests are skipped"
            + " (apt-get install chromium chromium-driver; .ci/run installs them)");
    Files.createDirectories(SHOTS);
    profile = Files.createTempDirectory("console-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--lang=en-US",
        "--user-data-dir=" + profile);
    // the page's console (script errors, refused requests) is read when a wait fails
    org.openqa.selenium.logging.LoggingPreferences logs =
        new org.openqa.selenium.logging.LoggingPreferences();
    logs.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(DESKTOP);
    try (InputStream in =
        ConsoleBrowserIT.class
            .getClassLoader()
            .getResourceAsStream(
                "META-INF/resources/webjars/axe-core/" + axeVersion() + "/axe.min.js")) {
      if (in == null) {
        throw new IllegalStateException("axe-core's WebJar is not on the test class path");
      }
      axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The axe-core WebJar's version, from its Maven properties on the class path. */
  private static String axeVersion() throws IOException {
    try (InputStream in =
        ConsoleBrowserIT.class
            .getClassLoader()
            .getResourceAsStream("META-INF/maven/org.webjars.npm/axe-core/pom.properties")) {
      java.util.Properties p = new java.util.Properties();
      p.load(in);
      return p.getProperty("version");
    }
  }

  @AfterAll
  static void closeBrowser() {
    if (driver != null) {
      driver.quit();
    }
  }

  @AfterEach
  void logOut() {
    if (driver != null) {
      driver.manage().deleteAllCookies();
      driver.manage().window().setSize(DESKTOP);
    }
  }

  @Test
  void anAdminUploadsADemoFileThroughThePreviewAndWatchesItComplete() throws Exception {
    login(TOKEN);
    waitFor(By.cssSelector("#tiles .tile"));
    page("overview");
    phone("overview");

    open("/console/imports");
    String source = "console-pos-" + suffix;
    waitFor(By.id("upload-source")).sendKeys(source);
    driver
        .findElement(By.id("upload-file"))
        .sendKeys(demoFile("pos-store-12-members.csv").toString());
    driver.findElement(By.id("preview")).click();
    WebElement confirm = waitFor(By.id("confirm"));
    page("imports-preview");
    confirm.click();
    new WebDriverWait(driver, Duration.ofSeconds(20))
        .until(ExpectedConditions.urlMatches("/console/imports/[0-9a-f-]{36}$"));
    String id = driver.getCurrentUrl().replaceAll(".*/console/imports/", "");
    await(
        Duration.ofSeconds(60),
        () -> imports().getImport(UUID.fromString(id)).getStatus().getValue().equals("COMPLETED"));
    // the page follows the import to its end by itself
    waitFor(By.cssSelector("#import-status[data-status='COMPLETED']"));
    int rows = imports().getImport(UUID.fromString(id)).getCounts().getRows();
    assertThat(rows).isPositive();
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(
            d ->
                String.valueOf(rows)
                    .equals(d.findElement(By.id("count-rows")).getAttribute("data-value")));
    page("import-detail");

    open("/console/imports?source=" + source);
    waitFor(By.cssSelector("a[data-import='" + id + "']"));
    page("imports");
  }

  @Test
  void aStewardSettlesAReviewByKeyboard() throws Exception {
    String phone = "13806" + digits(6);
    String wechat = "wechat-mp-c" + suffix;
    importAndWait(
        "pos-store-c" + suffix,
        "pos.csv",
        aSheet("姓名", "手机号", "性别", "生日").row("蒋芳", phone, "女", "1979-03-02").gbkCsv());
    importAndWait(
        wechat,
        "members.csv",
        aSheet("openid", "昵称", "手机号", "性别")
            .row(
                "oW3x_" + suffix + "abc",
                "🌸花花",
                phone.substring(0, 3) + " " + phone.substring(3, 7) + " " + phone.substring(7),
                "2")
            .utf8Csv());
    assertThat(members().findMembers(phone).getItems()).hasSize(2);

    login(stewardToken());
    open("/console/reviews?source=" + wechat);
    waitFor(By.id("same"));
    page("reviews");
    phone("reviews");

    new Actions(driver).sendKeys("s").perform();
    new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> !statusLine().isBlank());
    await(Duration.ofSeconds(20), () -> members().findMembers(phone).getItems().size() == 1);
  }

  @Test
  void aStewardUnmergesWithAReasonAndFindsTheEntryInTheMergeLog() throws Exception {
    String phone = "13709" + digits(6);
    String store = "store-c" + suffix;
    importAndWait(
        "pos-store-u" + suffix,
        "pos.csv",
        aSheet("姓名", "手机号", "生日").row("王伟", phone, "1985-06-01").gbkCsv());
    importAndWait(
        store, "sheet.csv", aSheet("姓名", "手机号", "生日").row("王玮", phone, "1985.6.1").utf8Csv());
    Member merged = members().findMembers(phone).getItems().get(0);
    assertThat(merged.getSourceRecords()).hasSize(2);

    login(stewardToken());
    open("/console/members/" + merged.getId());
    waitFor(By.id("unmerge"));
    page("member");
    phone("member");

    driver.findElement(By.id("unmerge")).click();
    // split off the store sheet's record: the checkbox whose value names its source
    WebElement storeBox =
        new WebDriverWait(driver, Duration.ofSeconds(10))
            .until(
                d ->
                    d.findElements(By.cssSelector("[data-test=split-record]")).stream()
                        .filter(WebElement::isDisplayed)
                        .filter(
                            b -> String.valueOf(b.getAttribute("value")).startsWith(store + ":"))
                        .findFirst()
                        .orElse(null));
    if (!storeBox.isSelected()) {
      storeBox.click();
    }
    driver.findElement(By.id("unmerge-submit")).click();
    WebElement dialog = waitFor(By.cssSelector("dialog[open]"));
    dialog
        .findElement(By.tagName("textarea"))
        .sendKeys("王玮是王伟的弟弟，共用家里电话 / brothers sharing the family phone");
    page("member-unmerge");
    dialog.findElement(By.cssSelector("button[value=ok]")).click();
    await(Duration.ofSeconds(20), () -> members().findMembers(phone).getItems().size() == 2);

    open("/console/merge-log?member=" + merged.getId());
    waitFor(By.cssSelector("tr[data-action='UNMERGE']"));
    assertThat(driver.findElement(By.cssSelector("tr[data-action='UNMERGE']")).getText())
        .contains("steward-");
    driver.findElement(By.id("verify")).click();
    new WebDriverWait(driver, Duration.ofSeconds(30))
        .until(d -> d.findElement(By.id("verify-result")).getAttribute("class").equals("ok"));
    page("merge-log");
  }

  @Test
  void theLanguageSwitchesToChineseAndStaysForTheNextPages() {
    login(TOKEN);
    waitFor(By.cssSelector("#tiles .tile"));
    driver.findElement(By.cssSelector("a.lang[hreflang='zh-CN']")).click();
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(d -> "zh-CN".equals(d.findElement(By.tagName("html")).getAttribute("lang")));
    assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("概览");
    waitFor(By.cssSelector("#tiles .tile"));
    assertThat(driver.findElement(By.id("tiles")).getText()).contains("待复核");
    page("overview-zh");

    open("/console/merge-log");
    assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("zh-CN");
    assertThat(waitFor(By.id("verify")).getText()).isEqualTo("校验哈希链");
    page("merge-log-zh");

    driver.findElement(By.cssSelector("a.lang[hreflang='en']")).click();
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(d -> "en".equals(d.findElement(By.tagName("html")).getAttribute("lang")));
  }

  @Test
  void aStewardHasNoTokenAdminAndItsPageRefusesThem() {
    login(stewardToken());
    waitFor(By.cssSelector("#tiles .tile"));
    assertThat(driver.findElements(By.cssSelector("nav a[href='/console/tokens']"))).isEmpty();
    assertThat(driver.findElements(By.cssSelector("nav a[href='/console/reviews']"))).hasSize(1);
    open("/console/tokens");
    assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Not for your role");
    assertThat(driver.findElements(By.id("new-token"))).isEmpty();
    page("tokens-forbidden");
  }

  @Test
  void anAuditorSeesTheMembersPhoneMasked() throws Exception {
    String phone = "13915" + digits(6);
    importAndWait(
        "pos-store-a" + suffix,
        "pos.csv",
        aSheet("姓名", "手机号", "生日").row("许文静", phone, "1992-11-20").gbkCsv());
    Member member = members().findMembers(phone).getItems().get(0);

    login(token("console-auditor-" + suffix, "auditor"));
    // found by the phone as a customer would give it, with spaces
    open("/console/members");
    waitFor(By.id("phone"))
        .sendKeys(phone.substring(0, 3) + " " + phone.substring(3, 7) + " " + phone.substring(7));
    driver.findElement(By.cssSelector("#by-phone button[type=submit]")).click();
    waitFor(By.cssSelector("a[data-member='" + member.getId() + "']"));
    assertThat(driver.findElement(By.id("results")).getText()).doesNotContain(phone);
    page("members-search");
    driver.findElement(By.cssSelector("a[data-member='" + member.getId() + "']")).click();
    new WebDriverWait(driver, Duration.ofSeconds(20))
        .until(d -> d.findElement(By.tagName("main")).getText().contains("许文静"));
    String text = driver.findElement(By.tagName("main")).getText();
    String masked = phone.substring(0, 3) + "****" + phone.substring(7);
    assertThat(text).contains(masked).doesNotContain(phone);
    assertThat(driver.getPageSource()).doesNotContain(phone);
    page("member-auditor");
  }

  @Test
  void anAdminMakesATokenSeesConnectorsAndConsumersAndLogsOut() throws Exception {
    login(TOKEN);
    open("/console/tokens");
    String name = "console-new-" + suffix;
    waitFor(By.cssSelector("#new-token input[name=name]")).sendKeys(name);
    driver.findElement(By.id("create-token")).click();
    WebElement secret = waitFor(By.id("new-secret"));
    assertThat(secret.getAttribute("value")).startsWith("om_");
    page("tokens");
    // revoked from its row, after the browser's confirmation
    By revoke = By.cssSelector("button[aria-label$=' " + name + "']");
    waitFor(revoke).click();
    driver.switchTo().alert().accept();
    new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.findElements(revoke).isEmpty());
    String revokedToken = secret.getAttribute("value");
    var refused =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(baseUrl() + "/api/v1/overview"))
                    .header("Authorization", "Bearer " + revokedToken)
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(401);

    open("/console/connectors");
    new WebDriverWait(driver, Duration.ofSeconds(20))
        .until(d -> d.findElement(By.tagName("main")).getText().contains("crm"));
    page("connectors");

    assertThat(driver.manage().getCookieNamed("ONEMEMBER_CONSOLE").isHttpOnly()).isTrue();
    assertThat(driver.manage().getCookieNamed("ONEMEMBER_CONSOLE").getSameSite())
        .isEqualTo("Strict");
    driver.findElement(By.cssSelector("form.logout button")).click();
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(ExpectedConditions.urlContains("/console/login?out"));
    open("/console");
    assertThat(driver.getCurrentUrl()).endsWith("/console/login");
  }

  @Test
  void itPausesResumesAndRunsAConnectorAndReplaysAConsumersDeadLetters() throws Exception {
    // the CRM's webhook is down while a store's file comes in: its event becomes a dead letter
    var crm = com.onemember.hub.support.WebhookReceivers.get().receiver("crm");
    String phone = "13716" + digits(6);
    crm.down();
    UUID member;
    try {
      importAndWait(
          "pos-store-d" + suffix, "pos.csv", aSheet("姓名", "手机号").row("韩雪", phone).gbkCsv());
      member = members().findMembers(phone).getItems().get(0).getId();
      await(Duration.ofSeconds(30), () -> pendingCrmLetters().contains(member));
    } finally {
      crm.up();
    }

    login(token("console-it-" + suffix, "it"));
    open("/console/connectors");
    By card = By.cssSelector("article[data-connector='pos-console-down']");
    waitFor(card);
    driver.findElement(card).findElement(By.cssSelector("button[data-action='pause']")).click();
    await(Duration.ofSeconds(10), () -> connectorState("pos-console-down").equals("PAUSED"));
    waitFor(By.cssSelector("article[data-connector='pos-console-down'][data-state='PAUSED']"))
        .findElement(By.cssSelector("button[data-action='resume']"))
        .click();
    await(Duration.ofSeconds(10), () -> !connectorState("pos-console-down").equals("PAUSED"));
    long runsBefore = runs("pos-console-down");
    waitFor(By.cssSelector("article[data-connector='pos-console-down'] button[data-action='run']"))
        .click();
    await(Duration.ofSeconds(20), () -> runs("pos-console-down") > runsBefore);

    By consumer = By.cssSelector("article[data-consumer='crm']");
    waitFor(consumer);
    page("connectors-it");
    driver.findElement(consumer).findElement(By.cssSelector("button[id$='-replay-all']")).click();
    await(Duration.ofSeconds(30), () -> !pendingCrmLetters().contains(member));
  }

  @Test
  void aStewardMergesTwoMembersByHandAndSettlesAPatternAsDifferent() throws Exception {
    // the same customer twice, under two numbers the matcher cannot join
    String first = "13717" + digits(6);
    String second = "13817" + digits(6);
    importAndWait(
        "pos-store-m" + suffix,
        "pos.csv",
        aSheet("姓名", "手机号", "生日").row("欧阳娜娜", first, "1994-02-11").gbkCsv());
    importAndWait(
        "store-m" + suffix, "sheet.csv", aSheet("姓名", "手机号").row("欧阳娜娜", second).utf8Csv());
    UUID a = members().findMembers(first).getItems().get(0).getId();
    UUID b = members().findMembers(second).getItems().get(0).getId();
    assertThat(a).isNotEqualTo(b);

    login(stewardToken());
    open("/console/members/" + a);
    waitFor(By.id("merge-other")).sendKeys(b.toString());
    driver.findElement(By.id("merge")).click();
    WebElement dialog = waitFor(By.cssSelector("dialog[open]"));
    dialog
        .findElement(By.tagName("textarea"))
        .sendKeys("同一顾客换了手机号 / the same customer, new number");
    dialog.findElement(By.cssSelector("button[value=ok]")).click();
    await(
        Duration.ofSeconds(20),
        () ->
            members()
                .findMembers(second)
                .getItems()
                .get(0)
                .getId()
                .equals(members().findMembers(first).getItems().get(0).getId()));

    // a pattern settled as DIFFERENT: every open pair of it keeps apart, each with its entry
    String phone = "13818" + digits(6);
    String wechat = "wechat-mp-s" + suffix;
    importAndWait(
        "pos-store-s" + suffix,
        "pos.csv",
        aSheet("姓名", "手机号", "性别", "生日").row("蒋芳", phone, "女", "1979-03-02").gbkCsv());
    importAndWait(
        wechat,
        "members.csv",
        aSheet("openid", "昵称", "手机号", "性别").row("oW3x_s" + suffix, "🌸花花", phone, "2").utf8Csv());
    var review = openReviewsFrom(wechat).get(0);
    open(
        "/console/reviews?pattern="
            + java.net.URLEncoder.encode(review.getPattern(), StandardCharsets.UTF_8));
    waitFor(By.id("settle-pattern")).click();
    WebElement settle = waitFor(By.cssSelector("dialog[open]"));
    settle
        .findElement(By.tagName("textarea"))
        .sendKeys("抽查均为不同的人 / sampled pairs were different people");
    page("reviews-settle");
    settle.findElement(By.cssSelector("button[value=ok]")).click();
    waitFor(By.id("settle-outcome"));
    await(Duration.ofSeconds(20), () -> openReviewsFrom(wechat).isEmpty());
    assertThat(members().findMembers(phone).getItems()).hasSize(2);
  }

  @Test
  void anAuditorRevealsAMemberWithAReasonAndThenSeesTheWholeNumber() throws Exception {
    String phone = "13919" + digits(6);
    importAndWait(
        "pos-store-r" + suffix, "pos.csv", aSheet("姓名", "手机号").row("冯晓琳", phone).gbkCsv());
    UUID id = members().findMembers(phone).getItems().get(0).getId();
    login(token("console-auditor-r" + suffix, "auditor"));
    open("/console/members/" + id);
    waitFor(By.id("reveal")).click();
    WebElement dialog = waitFor(By.cssSelector("dialog[open]"));
    dialog.findElement(By.tagName("textarea")).sendKeys("投诉核查 / checking a complaint");
    dialog.findElement(By.cssSelector("button[value=ok]")).click();
    waitFor(By.id("revealed"));
    assertThat(driver.findElement(By.tagName("main")).getText()).contains(phone);
    page("member-revealed");
  }

  @Test
  void itCorrectsAColumnInThePreviewDownloadsTheWorkbookAndRollsTheImportBack() throws Exception {
    // a store's sheet whose phone column has a header no one could guess
    String phone = "13720" + digits(6);
    String source = "store-p" + suffix;
    java.io.File sheet =
        file("会员登记.csv", aSheet("姓名", "号码A", "开卡门店").row("郭美玲", phone, "徐汇店").gbkCsv());

    login(token("console-it-p" + suffix, "it"));
    open("/console/imports");
    waitFor(By.id("upload-source")).sendKeys(source);
    driver.findElement(By.id("upload-file")).sendKeys(sheet.getAbsolutePath());
    driver.findElement(By.id("preview")).click();
    WebElement column = waitFor(By.cssSelector("select[data-header='号码A']"));
    assertThat(column.getAttribute("data-current")).isEqualTo("IGNORE");
    new org.openqa.selenium.support.ui.Select(column).selectByValue("MOBILE");
    waitFor(By.cssSelector("select[data-header='号码A'][data-current='MOBILE']"));
    page("imports-mapping");
    driver.findElement(By.id("confirm")).click();
    new WebDriverWait(driver, Duration.ofSeconds(20))
        .until(ExpectedConditions.urlMatches("/console/imports/[0-9a-f-]{36}"));
    UUID id =
        UUID.fromString(
            driver.getCurrentUrl().replaceAll(".*/console/imports/([0-9a-f-]{36}).*", "$1"));
    waitFor(By.cssSelector("#import-status[data-status='COMPLETED']"));
    assertThat(members().findMembers(phone).getItems()).hasSize(1);

    // the report workbook the page links to, fetched with the page's own session
    String report = waitFor(By.id("download-report")).getAttribute("href");
    var download =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(report))
                    .header(
                        "Cookie",
                        "ONEMEMBER_CONSOLE="
                            + driver.manage().getCookieNamed("ONEMEMBER_CONSOLE").getValue())
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).startsWith((byte) 'P', (byte) 'K'); // an .xlsx is a zip

    driver.findElement(By.id("rollback")).click();
    WebElement dialog = waitFor(By.cssSelector("dialog[open]"));
    dialog.findElement(By.tagName("textarea")).sendKeys("传错了门店的表 / the wrong store's sheet");
    dialog.findElement(By.cssSelector("button[value=ok]")).click();
    await(
        Duration.ofSeconds(20),
        () -> imports().getImport(id).getStatus().getValue().equals("ROLLED_BACK"));
    await(Duration.ofSeconds(20), () -> members().findMembers(phone).getItems().isEmpty());
    waitFor(By.id("rollback-result"));
    page("import-rolled-back");
  }

  // --- helpers

  /** The members of the CRM's dead letters waiting for a replay, as the API lists them. */
  private List<UUID> pendingCrmLetters() throws Exception {
    return new com.onemember.api.client.OutboundApi(apiClient())
            .listDeadLetters("crm", com.onemember.api.client.model.DeadLetterStatus.PENDING, 200)
            .getItems()
            .stream()
            .map(com.onemember.api.client.model.DeadLetter::getMemberId)
            .toList();
  }

  private String connectorState(String id) throws Exception {
    return new com.onemember.api.client.ConnectorsApi(apiClient())
        .listConnectors().getItems().stream()
            .filter(c -> c.getId().equals(id))
            .findFirst()
            .orElseThrow()
            .getState()
            .getValue();
  }

  private long runs(String id) throws Exception {
    return new com.onemember.api.client.ConnectorsApi(apiClient())
        .listConnectorRuns(id, null, 50)
        .getItems()
        .size();
  }

  private void login(String token) {
    open("/console/login");
    driver.findElement(By.id("token")).sendKeys(token);
    driver.findElement(By.cssSelector("form button[type=submit]")).click();
    new WebDriverWait(driver, Duration.ofSeconds(20))
        .until(ExpectedConditions.urlMatches("/console$"));
  }

  private void open(String path) {
    driver.get(baseUrl() + path);
  }

  private WebElement waitFor(By by) {
    try {
      return new WebDriverWait(driver, Duration.ofSeconds(20))
          .until(ExpectedConditions.visibilityOfElementLocated(by));
    } catch (org.openqa.selenium.TimeoutException e) {
      shoot("failed-" + by.toString().replaceAll("[^A-Za-z0-9-]+", "_"));
      throw new AssertionError(
          "no visible "
              + by
              + " on "
              + driver.getCurrentUrl()
              + "; the page says:\n"
              + driver.findElement(By.tagName("body")).getText()
              + "\nthe page's console:\n"
              + browserLog(),
          e);
    }
  }

  /** What the page's scripts logged, errors included, since the last call. */
  private static String browserLog() {
    StringBuilder out = new StringBuilder();
    driver
        .manage()
        .logs()
        .get(org.openqa.selenium.logging.LogType.BROWSER)
        .forEach(
            entry ->
                out.append(entry.getLevel()).append(' ').append(entry.getMessage()).append('\n'));
    return out.toString();
  }

  private String statusLine() {
    return driver.findElement(By.id("om-status")).getText();
  }

  /** Photographs the page and checks it with axe-core: no WCAG 2 A or AA violation. */
  private void page(String name) {
    shoot(name);
    assertAccessible(name);
  }

  /** The page at phone width, photographed and checked, then back to the desktop size. */
  private void phone(String name) {
    driver.manage().window().setSize(PHONE);
    try {
      shoot(name + "-phone");
      Object overflow =
          driver.executeScript(
              "return document.documentElement.scrollWidth > window.innerWidth + 1"
                  + " ? document.documentElement.scrollWidth : 0");
      assertThat(((Number) overflow).intValue())
          .as("the page %s is wider than a phone's screen", name)
          .isZero();
      assertAccessible(name + "-phone");
    } finally {
      driver.manage().window().setSize(DESKTOP);
    }
  }

  private void shoot(String name) {
    try {
      Files.copy(
          driver.getScreenshotAs(OutputType.FILE).toPath(),
          SHOTS.resolve(name + ".png"),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private void assertAccessible(String name) {
    JavascriptExecutor js = driver;
    if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe === 'object'"))) {
      js.executeScript(axe);
    }
    Object result =
        js.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
                + ".then(r => done(JSON.stringify(r.violations.map(v => ({id: v.id, impact:"
                + " v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))})))))"
                + ".catch(e => done(JSON.stringify([{id: 'axe-error', help: String(e)}])));");
    List<Map<String, Object>> violations =
        new ArrayList<>(JSON.readValue(String.valueOf(result), List.class));
    assertThat(violations).as("accessibility violations on %s", name).isEmpty();
  }

  private static Path demoFile(String name) {
    Path file = Path.of("..", "config", "demo", name).toAbsolutePath().normalize();
    assertThat(file).exists();
    return file;
  }

  private String stewardToken() {
    return token("console-steward-" + suffix + "-" + digits(3), "steward");
  }

  private static void await(Duration atMost, java.util.concurrent.Callable<Boolean> condition) {
    org.awaitility.Awaitility.await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .until(condition);
  }

  /** The open review pairs of records from {@code source}, the first ten. */
  private List<com.onemember.api.client.model.Review> openReviewsFrom(String source)
      throws Exception {
    return reviews()
        .listReviews(
            com.onemember.api.client.model.ReviewStatus.OPEN, null, source, null, null, null, 10)
        .getItems();
  }
}
