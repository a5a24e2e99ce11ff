package com.onemember.canonical;

/**
 * A label on a member, e.g. 忠实客户.
 *
 * @param source the system or rule that set it
 */
public record Tag(String name, String source) {}
