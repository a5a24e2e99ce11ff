package com.onemember.mdm.standardize.address;

/**
 * A standardised mainland-China postal address. Division names are the official full names of the
 * bundled list, whatever the member typed (浙江 → 浙江省); a level that was neither written nor implied
 * is {@code null}.
 *
 * @param province e.g. 浙江省, 广西壮族自治区; for a municipality its name (北京市)
 * @param city the prefecture-level city, e.g. 杭州市, 延边朝鲜族自治州; for a municipality the municipality
 *     itself (上海市); for a county-level city governed by its province directly (仙桃市, 石河子市) that city
 * @param district the county-level division, e.g. 西湖区, 义乌市, 长阳土家族自治县; may be set while the city is
 *     {@code null} when the name alone does not say which city (朝阳区 is in 北京 and 长春)
 * @param detail the rest of the address (street, number, building, room) as written after
 *     normalisation, or {@code null} when there is none
 * @param detailKey {@link #detail()} reduced for comparison: no spaces, punctuation or remarks in
 *     brackets, Latin letters upper-case, building / unit / room notation unified with dashes
 *     (文鼎苑34幢2单元1404室 → 文鼎苑34-2-1404); {@code null} when there is no detail
 */
public record ChineseAddress(
    String province, String city, String district, String detail, String detailKey) {}
