/**
 * Reading golden members over REST: one member with the source records behind it, search by phone
 * in whatever format the caller has, and the members a staff member serves (for a store's WeCom
 * follow-up lists), paged by id because one person may serve thousands. An id that was merged away
 * answers with the member it was merged into, so ids that systems stored keep working.
 */
package com.onemember.hub.members;
