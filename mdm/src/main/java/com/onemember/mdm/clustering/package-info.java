/**
 * Clustering that does not chain: a record joins an existing cluster only if it matches that
 * cluster as a whole (its mean match probability against every record already in it reaches the
 * merge threshold), not because it weakly matches one of its records. Records between the review
 * and merge thresholds are reported for a steward. Plain Java.
 */
package com.onemember.mdm.clustering;
