package com.onemember.connectors.spreadsheet;

import java.text.Normalizer;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Recognises member columns by their header, in Chinese or English, the way POS systems, web shops
 * and store clerks name them. Matching ignores case, spaces, '_', '-' and full-width forms.
 */
public final class MemberColumns {

  private static final Pattern IGNORED = Pattern.compile("[\\s_\\-.:：()（）*]");

  private static final Map<String, MemberField> ALIASES = new LinkedHashMap<>();

  /** Fields that let a row be told apart from other people's; at least one must be present. */
  private static final Set<MemberField> IDENTIFYING =
      EnumSet.of(
          MemberField.NAME,
          MemberField.FIRST_NAME,
          MemberField.LAST_NAME,
          MemberField.MOBILE,
          MemberField.EMAIL,
          MemberField.WECHAT_UNIONID,
          MemberField.WECHAT_OPENID,
          MemberField.MEMBER_CARD,
          MemberField.EXTERNAL_ID);

  static {
    alias(
        MemberField.NAME,
        "姓名",
        "客户姓名",
        "名字",
        "会员姓名",
        "顾客姓名",
        "客户名称",
        "联系人",
        "收货人",
        "name",
        "full name",
        "customer name",
        "member name");
    alias(MemberField.FIRST_NAME, "first name", "firstname", "given name", "名");
    alias(MemberField.LAST_NAME, "last name", "lastname", "surname", "family name", "姓");
    alias(MemberField.NICKNAME, "昵称", "微信昵称", "会员昵称", "nickname", "nick name");
    alias(
        MemberField.MOBILE,
        "手机号",
        "手机",
        "手机号码",
        "联系电话",
        "电话",
        "联系方式",
        "电话号码",
        "移动电话",
        "phone",
        "mobile",
        "telephone",
        "tel",
        "cell",
        "phone number",
        "mobile phone",
        "default address phone");
    alias(MemberField.EMAIL, "邮箱", "电子邮箱", "邮件", "电子邮件", "email", "e-mail", "mail");
    alias(MemberField.GENDER, "性别", "gender", "sex");
    alias(
        MemberField.BIRTHDAY,
        "生日",
        "出生日期",
        "出生年月",
        "生日日期",
        "birthday",
        "birth date",
        "date of birth",
        "dob",
        "birthdate");
    alias(
        MemberField.PROVINCE,
        "省",
        "省份",
        "province",
        "state",
        "province code",
        "default address province");
    alias(MemberField.CITY, "城市", "市", "city", "default address city");
    alias(MemberField.DISTRICT, "区", "区县", "县区", "district");
    alias(
        MemberField.ADDRESS,
        "地址",
        "详细地址",
        "收货地址",
        "联系地址",
        "address",
        "address1",
        "street",
        "default address address1");
    alias(
        MemberField.MEMBER_CARD,
        "会员卡号",
        "卡号",
        "会员号",
        "会员编号",
        "member card",
        "card no",
        "card number",
        "membership number");
    alias(MemberField.EXTERNAL_ID, "客户编号", "客户id", "会员id", "顾客编号", "客户代码", "customer id", "id");
    alias(MemberField.WECHAT_OPENID, "openid", "微信openid", "open id");
    alias(MemberField.WECHAT_UNIONID, "unionid", "微信unionid", "union id");
    alias(
        MemberField.UPDATED_AT, "更新时间", "最后修改时间", "修改时间", "updated at", "last modified", "updated");
  }

  private MemberColumns() {}

  private static void alias(MemberField field, String... names) {
    for (String name : names) {
      ALIASES.put(key(name), field);
    }
  }

  private static String key(String header) {
    String n = Normalizer.normalize(header, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    return IGNORED.matcher(n).replaceAll("");
  }

  /**
   * Maps headers to fields; the first column of a field wins, except that several phone columns are
   * all kept (a second 电话 column is still a phone).
   *
   * @throws UnreadableFileException {@code no-known-column} when no header identifies a person
   */
  public static ColumnMapping detect(List<String> headers) throws UnreadableFileException {
    Map<String, MemberField> fields = new LinkedHashMap<>();
    List<String> unmapped = new java.util.ArrayList<>();
    Set<MemberField> taken = EnumSet.noneOf(MemberField.class);
    for (String header : headers) {
      MemberField field = ALIASES.get(key(header.replaceAll(" \\(\\d+\\)$", "")));
      if (field != null && (!taken.contains(field) || field == MemberField.MOBILE)) {
        fields.put(header, field);
        taken.add(field);
      } else {
        unmapped.add(header);
      }
    }
    if (taken.stream().noneMatch(IDENTIFYING::contains)) {
      throw new UnreadableFileException(
          UnreadableFileException.NO_KNOWN_COLUMN,
          ("表头里没有可识别的会员列（看到的是：%s）。请至少包含 姓名、手机号、邮箱、会员卡号、openid 或 unionid 之一 / No"
                  + " column identifies a member (the headers are: %s). Include at least one of"
                  + " Name (姓名), Phone (手机号), Email (邮箱), member card (会员卡号), openid or"
                  + " unionid.")
              .formatted(String.join("、", headers), String.join(", ", headers)));
    }
    return new ColumnMapping(fields, unmapped);
  }
}
