/**
 * Builds the golden record of a member from the clean forms of its source records (survivorship).
 * Each attribute is taken from the record that is most complete and most recent by the source's own
 * change time, never by the order records happen to be listed in; identifiers, addresses and tags
 * are unions. Plain Java: no framework imports.
 */
package com.onemember.mdm.golden;
