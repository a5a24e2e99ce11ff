/**
 * Several hub processes on one PostgreSQL and one Artemis broker (or a primary/backup pair), as a
 * chain runs them past one machine: the work split or handed over, nothing lost when one dies.
 */
package com.onemember.hub.cluster;
