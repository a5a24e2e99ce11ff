/**
 * Blocking: the keys under which records are grouped so that a new record is compared only with the
 * few earlier records that share one (same phone, same surname and birth year, same given name and
 * birthday, same postcode and surname initial, …), keeping comparisons near-linear. A block that
 * grows past its cap (a default birthday, a placeholder phone) is not compared beyond the cap and
 * is counted, so it cannot explode into quadratic work unnoticed. Plain Java.
 */
package com.onemember.mdm.blocking;
