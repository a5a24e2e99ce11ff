package com.onemember.connectors.woocommerce;

import com.onemember.connectors.frame.RowText;
import java.util.Map;

/**
 * WooCommerce keeps a Chinese address's province as its own code ({@code CN20}), in the order of
 * its {@code i18n/states.php}; the hub wants the province's name. A state of another country, or
 * one typed as text, is kept as it is.
 */
final class ChinaStates {

  private ChinaStates() {}

  private static final Map<String, String> NAMES =
      Map.ofEntries(
          Map.entry("CN1", "云南"),
          Map.entry("CN2", "北京"),
          Map.entry("CN3", "天津"),
          Map.entry("CN4", "河北"),
          Map.entry("CN5", "山西"),
          Map.entry("CN6", "内蒙古"),
          Map.entry("CN7", "辽宁"),
          Map.entry("CN8", "吉林"),
          Map.entry("CN9", "黑龙江"),
          Map.entry("CN10", "上海"),
          Map.entry("CN11", "江苏"),
          Map.entry("CN12", "浙江"),
          Map.entry("CN13", "安徽"),
          Map.entry("CN14", "福建"),
          Map.entry("CN15", "江西"),
          Map.entry("CN16", "山东"),
          Map.entry("CN17", "河南"),
          Map.entry("CN18", "湖北"),
          Map.entry("CN19", "湖南"),
          Map.entry("CN20", "广东"),
          Map.entry("CN21", "广西"),
          Map.entry("CN22", "海南"),
          Map.entry("CN23", "重庆"),
          Map.entry("CN24", "四川"),
          Map.entry("CN25", "贵州"),
          Map.entry("CN26", "陕西"),
          Map.entry("CN27", "甘肃"),
          Map.entry("CN28", "青海"),
          Map.entry("CN29", "宁夏"),
          Map.entry("CN30", "澳门"),
          Map.entry("CN31", "西藏"),
          Map.entry("CN32", "新疆"));

  /** The province's name for a Chinese state code; the state as given otherwise. */
  static String name(String country, String state) {
    String code = RowText.text(state);
    if (code == null) {
      return null;
    }
    if (country == null || "CN".equalsIgnoreCase(country.strip())) {
      return NAMES.getOrDefault(code.toUpperCase(java.util.Locale.ROOT), code);
    }
    return code;
  }
}
