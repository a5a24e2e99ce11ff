/**
 * What data stewards decide: review pairs settled as the same person (the members merge) or as
 * different people (a separation no later record can override), each decision in the merge log.
 */
package com.onemember.mdm.stewardship;
