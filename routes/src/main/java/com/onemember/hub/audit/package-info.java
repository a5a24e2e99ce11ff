/**
 * {@code /api/v1/merge-log}: the merge log for auditors, filtered and paged, exported as CSV, and
 * its hash chain verified.
 */
package com.onemember.hub.audit;
