/**
 * Builds the golden record of a member from the clean forms of its source records (survivorship),
 * by the rules of config/mdm/survivorship.yaml: per single-valued attribute a chain of source
 * trust, most recent by the source's own change time (never by the order records are listed in),
 * most frequent and most complete; identifiers, addresses, consents, tags and the serving staff are
 * unions. Every golden value keeps its lineage: the source records it came from and the rule that
 * chose it. Plain Java: no framework imports.
 */
package com.onemember.mdm.golden;
