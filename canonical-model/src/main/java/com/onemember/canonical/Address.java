package com.onemember.canonical;

/**
 * A postal address; any part may be {@code null} when the source does not give it.
 *
 * @param line street, building and room, e.g. 1号楼2单元301
 */
public record Address(String province, String city, String district, String line) {

  public boolean isEmpty() {
    return isBlank(province) && isBlank(city) && isBlank(district) && isBlank(line);
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
