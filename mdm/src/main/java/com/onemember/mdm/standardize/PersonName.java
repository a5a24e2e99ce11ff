package com.onemember.mdm.standardize;

import com.onemember.canonical.Gender;

/**
 * A standardised person name.
 *
 * @param display the name as it should be shown: NFKC-normalised (full-width letters and spaces
 *     become half-width), trimmed, Chinese characters in their simplified form (陳偉 → 陈伟) and
 *     without spaces between them (王　伟 → 王伟)
 * @param surname the family name when known, simplified: the first character(s) of a Chinese name,
 *     the surname of a title form such as 王先生; {@code null} for romanised names, whose order varies
 * @param titleOnly true for 王先生 / 李女士: only the surname and a gender are known
 * @param genderHint the gender a title implies, otherwise {@link Gender#UNKNOWN}
 * @param pinyinKey lower-case pinyin syllables without tones, sorted, space-separated; for
 *     romanised names the sorted lower-case words; lets 王伟, 王玮, Wang Wei and WEI WANG meet
 */
public record PersonName(
    String display, String surname, boolean titleOnly, Gender genderHint, String pinyinKey) {}
