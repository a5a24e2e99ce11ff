/**
 * Reading golden members over REST: one member with the source records behind it, and search by
 * phone in whatever format the caller has. An id that was merged away answers with the member it
 * was merged into, so ids that systems stored keep working.
 */
package com.onemember.hub.members;
