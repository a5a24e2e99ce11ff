/**
 * Clustering that does not chain: a record joins the cluster of its best pair only if that pair
 * reaches the merge threshold and the record fits the cluster as a whole (its mean evidence against
 * every record already in it is not negative), not because it matches one of its records. A record
 * that fits two clusters bridges them, and they merge, unless some record of one disagrees with
 * some record of the other. Records between the review and merge thresholds are reported for a
 * steward. Plain Java.
 */
package com.onemember.mdm.clustering;
