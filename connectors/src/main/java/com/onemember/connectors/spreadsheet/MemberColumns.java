package com.onemember.connectors.spreadsheet;

import static com.onemember.connectors.spreadsheet.MemberField.ADDRESS;
import static com.onemember.connectors.spreadsheet.MemberField.BIRTHDAY;
import static com.onemember.connectors.spreadsheet.MemberField.CITY;
import static com.onemember.connectors.spreadsheet.MemberField.DISTRICT;
import static com.onemember.connectors.spreadsheet.MemberField.EMAIL;
import static com.onemember.connectors.spreadsheet.MemberField.EXTERNAL_ID;
import static com.onemember.connectors.spreadsheet.MemberField.FIRST_NAME;
import static com.onemember.connectors.spreadsheet.MemberField.GENDER;
import static com.onemember.connectors.spreadsheet.MemberField.LAST_NAME;
import static com.onemember.connectors.spreadsheet.MemberField.MEMBER_CARD;
import static com.onemember.connectors.spreadsheet.MemberField.MOBILE;
import static com.onemember.connectors.spreadsheet.MemberField.NAME;
import static com.onemember.connectors.spreadsheet.MemberField.NICKNAME;
import static com.onemember.connectors.spreadsheet.MemberField.PROVINCE;
import static com.onemember.connectors.spreadsheet.MemberField.UPDATED_AT;
import static com.onemember.connectors.spreadsheet.MemberField.WECHAT_OPENID;
import static com.onemember.connectors.spreadsheet.MemberField.WECHAT_UNIONID;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Recognises the columns of a member export by their header. Every store system and every clerk
 * names columns differently (手机号码, 联系电话, Phone, 会员手机号（必填）), so headers are compared after folding
 * width and case and dropping spaces, separators and bracketed remarks. Matching is exact on that
 * folded form, never by substring: 紧急联系人电话 is somebody else's phone and must not become the
 * member's. A header that is not recognised is not an error; its cells stay in the raw record.
 */
public final class MemberColumns {

  // Declared before the alias index, which folds aliases while the class initialises.
  private static final Pattern BRACKETED = Pattern.compile("[(\\[【〔].*?[)\\]】〕]");

  private static final Pattern SEPARATORS = Pattern.compile("[\\s_\\-.*:#'’]+");

  private static final Map<MemberField, List<String>> ALIASES = aliases();

  private static final Map<String, MemberField> BY_FOLDED_ALIAS = indexByFoldedAlias();

  /**
   * Words that only say whose value it is (会员手机号, customer email). Stripped on a second try only,
   * and never down to one character, so 用户名 (a login) does not turn into 名 (a given name).
   */
  private static final List<String> OWNER_PREFIXES =
      List.of("会员", "客户", "顾客", "用户", "微信", "customer", "member", "wechat");

  private MemberColumns() {}

  /**
   * @param headers the upload's headers, as {@link Spreadsheet#headers()} gives them
   * @throws UnreadableFileException with code {@code no-known-column} when no header could identify
   *     a member (a name, phone, e-mail, card, customer id or WeChat id), which almost always means
   *     a wrong file or a header row that is not the first row
   */
  public static ColumnMapping detect(List<String> headers) throws UnreadableFileException {
    return detect(headers, Map.of(), java.util.Set.of());
  }

  /**
   * As {@link #detect(List)}, with the choices a person made (after a preview, or saved as a
   * source's mapping template) winning over what the header names suggest.
   *
   * @param chosen header to the field it holds, for the headers a person mapped
   * @param ignored headers a person said to import as raw data only
   */
  public static ColumnMapping detect(
      List<String> headers, Map<String, MemberField> chosen, java.util.Set<String> ignored)
      throws UnreadableFileException {
    ColumnMapping mapping = suggest(headers, chosen, ignored);
    if (mapping.fields().values().stream().noneMatch(MemberField::identifies)) {
      throw new UnreadableFileException(
          UnreadableFileException.NO_KNOWN_COLUMN, noKnownColumnMessage(headers));
    }
    return mapping;
  }

  /**
   * As {@link #detect(List, Map, java.util.Set)}, but a mapping in which no column identifies a
   * member is returned rather than refused, for a preview to show what it could and could not map.
   */
  public static ColumnMapping suggest(
      List<String> headers, Map<String, MemberField> chosen, java.util.Set<String> ignored) {
    Map<String, MemberField> fields = new LinkedHashMap<>();
    List<String> unmapped = new ArrayList<>();
    for (String header : headers) {
      MemberField field =
          ignored.contains(header) ? null : chosen.getOrDefault(header, fieldOf(header));
      if (field == null) {
        unmapped.add(header);
      } else {
        fields.put(header, field);
      }
    }
    return new ColumnMapping(fields, unmapped);
  }

  /** The message of a refusal for headers none of which identifies a member. */
  public static String noKnownColumn(List<String> headers) {
    return noKnownColumnMessage(headers);
  }

  private static MemberField fieldOf(String header) {
    if (header == null) {
      return null;
    }
    String folded = fold(header);
    MemberField field = BY_FOLDED_ALIAS.get(folded);
    if (field != null) {
      return field;
    }
    for (String prefix : OWNER_PREFIXES) {
      if (folded.startsWith(prefix) && folded.length() - prefix.length() >= 2) {
        field = BY_FOLDED_ALIAS.get(folded.substring(prefix.length()));
        if (field != null) {
          return field;
        }
      }
    }
    return null;
  }

  /** Full-width letters and punctuation become ASCII (NFKC), so ＩＤ and （必填） fold too. */
  static String fold(String header) {
    String s = Normalizer.normalize(header, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    s = BRACKETED.matcher(s).replaceAll("");
    return SEPARATORS.matcher(CellText.strip(s)).replaceAll("");
  }

  private static String noKnownColumnMessage(List<String> headers) {
    List<String> chinese = new ArrayList<>();
    List<String> english = new ArrayList<>();
    ALIASES.forEach(
        (field, aliases) -> {
          if (field.identifies()) {
            for (String alias : aliases) {
              (alias.chars().anyMatch(c -> c > 127) ? chinese : english).add(alias);
            }
          }
        });
    String seenChinese =
        headers.isEmpty()
            ? "（无）"
            : headers.stream().map(h -> "「" + h + "」").collect(Collectors.joining());
    String seenEnglish = headers.isEmpty() ? "(none)" : String.join(", ", headers);
    return "没有认出任何能识别会员的列。文件的表头是：%s。表头里至少要有一列叫：%s / No column identifies a member. The file's headers are: %s. At least one header must be one of: %s."
        .formatted(seenChinese, String.join("、", chinese), seenEnglish, String.join(", ", english));
  }

  private static Map<MemberField, List<String>> aliases() {
    Map<MemberField, List<String>> aliases = new LinkedHashMap<>();
    aliases.put(
        NAME,
        List.of(
            "姓名",
            "客户姓名",
            "名字",
            "会员姓名",
            "顾客姓名",
            "客户名",
            "会员名",
            "顾客名",
            "客户名称",
            "联系人",
            "收货人",
            "name",
            "full name",
            "customer name"));
    aliases.put(FIRST_NAME, List.of("名", "first name", "given name"));
    aliases.put(LAST_NAME, List.of("姓", "last name", "surname", "family name"));
    aliases.put(NICKNAME, List.of("昵称", "微信昵称", "会员昵称", "nickname", "nick name"));
    aliases.put(
        MOBILE,
        List.of(
            "手机号",
            "手机",
            "手机号码",
            "联系电话",
            "电话",
            "电话号码",
            "联系方式",
            "移动电话",
            "phone",
            "mobile",
            "telephone",
            "tel",
            "cell",
            "phone number",
            "mobile phone",
            "cellphone",
            "default address phone"));
    aliases.put(
        EMAIL, List.of("邮箱", "电子邮箱", "电子邮件", "邮件", "邮箱地址", "email", "e-mail", "email address"));
    aliases.put(GENDER, List.of("性别", "gender", "sex"));
    aliases.put(
        BIRTHDAY,
        List.of("生日", "出生日期", "出生年月", "生日日期", "birthday", "birth date", "date of birth", "dob"));
    aliases.put(PROVINCE, List.of("省", "省份", "province", "state", "default address province"));
    aliases.put(CITY, List.of("城市", "市", "city", "default address city"));
    aliases.put(DISTRICT, List.of("区", "区县", "县区", "district"));
    aliases.put(
        ADDRESS,
        List.of(
            "地址",
            "详细地址",
            "收货地址",
            "联系地址",
            "家庭住址",
            "address",
            "address1",
            "address2",
            "street",
            "default address address1",
            "default address address2"));
    aliases.put(
        MEMBER_CARD,
        List.of(
            "会员卡号",
            "卡号",
            "会员号",
            "会员编号",
            "会员卡",
            "member card",
            "card no",
            "card number",
            "membership number"));
    aliases.put(EXTERNAL_ID, List.of("客户编号", "客户id", "会员id", "顾客编号", "客户代码", "customer id", "id"));
    aliases.put(WECHAT_OPENID, List.of("openid"));
    aliases.put(WECHAT_UNIONID, List.of("unionid"));
    aliases.put(
        MemberField.NATIONAL_ID,
        List.of("身份证号", "身份证", "身份证号码", "证件号码", "证件号", "id card", "id number"));
    aliases.put(
        UPDATED_AT,
        List.of("更新时间", "最后修改时间", "修改时间", "最后更新时间", "updated at", "last modified", "updated"));
    aliases.put(
        MemberField.ORDERS,
        List.of("订单数", "订单数量", "消费次数", "购买次数", "累计订单", "orders", "order count", "total orders"));
    aliases.put(
        MemberField.SPENT,
        List.of(
            "消费总额", "累计消费", "消费金额", "累计消费金额", "总消费", "total spent", "amount spent", "total spend"));
    aliases.put(
        MemberField.LAST_PURCHASE_AT,
        List.of(
            "最近消费时间",
            "最后消费时间",
            "最近购买时间",
            "最后购买时间",
            "最近消费",
            "last order date",
            "last purchase",
            "last order"));
    aliases.put(MemberField.STORE, List.of("门店", "所属门店", "开卡门店", "消费门店", "store", "shop"));
    return aliases;
  }

  private static Map<String, MemberField> indexByFoldedAlias() {
    Map<String, MemberField> index = new LinkedHashMap<>();
    ALIASES.forEach(
        (field, aliases) -> {
          for (String alias : aliases) {
            MemberField previous = index.put(fold(alias), field);
            if (previous != null && previous != field) {
              throw new IllegalStateException(
                  "alias " + alias + " means both " + previous + " and " + field);
            }
          }
        });
    return index;
  }
}
