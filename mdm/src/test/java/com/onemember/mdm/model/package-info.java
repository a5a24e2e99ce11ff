/**
 * Builds the match model the hub ships with (mdm/match-model.tsv): trained without labels on a
 * generated Chinese member population, for hubs that have too few records of their own to train on.
 */
package com.onemember.mdm.model;
