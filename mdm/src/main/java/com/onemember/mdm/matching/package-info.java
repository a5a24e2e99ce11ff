/**
 * Decides whether an incoming record belongs to a golden member the hub already keeps. The rule set
 * here matches on exact standardised identifiers and refuses to merge when the evidence conflicts:
 * different WeChat unionids never merge, and a shared mobile number or e-mail alone does not merge
 * people whose names, genders or birthdays clearly differ, because households share phones. A
 * record joins a member only if it fits every record of that member, so weak links do not chain.
 * Plain Java: no framework imports.
 */
package com.onemember.mdm.matching;
