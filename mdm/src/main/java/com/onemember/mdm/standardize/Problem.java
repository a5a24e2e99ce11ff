package com.onemember.mdm.standardize;

/**
 * Why a value was not accepted, for the person who has to fix the source row.
 *
 * @param field the attribute concerned, e.g. {@code mobile}
 * @param message the reason in Chinese and English, separated by " / "
 */
public record Problem(String field, String message) {}
