/**
 * Fellegi–Sunter scoring: each attribute of a pair of records is compared into a level (exact, same
 * after standardising, same pinyin, close by Jaro–Winkler, different; missing contributes nothing),
 * each level carries a weight log2(m/u), and the summed weight is the evidence that the two records
 * are one person. The m and u probabilities are estimated from the data without labels (u from
 * random pairs, m by expectation–maximisation over blocked pairs, as Splink does), and an exact
 * name agreement is weighted by how rare that name is, so that a shared 王伟 counts for little. What
 * a household shares is not counted twice: once two records share a phone or an address, agreeing
 * on the flat, the city or the surname says little more, so a husband and wife sharing both are
 * told apart by their names, genders and birthdays. Every score keeps its per-attribute breakdown
 * as the explanation. Plain Java.
 */
package com.onemember.mdm.scoring;
