/**
 * Rolling back one import: every member merge it caused is undone, the records it brought are
 * removed, the records it changed get their earlier content back, and the members it touched are
 * re-survived as they were before it. Refused, with the reason, when something changed the same
 * members or records after the import: that later change would otherwise be silently lost.
 */
package com.onemember.mdm.rollback;
