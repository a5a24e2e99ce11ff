/**
 * Secrets the hub keeps on its own disk (the generated admin token, the embedded database's
 * superuser password, the merge log's signing key): created once, readable by the hub's user only,
 * never printed unless the user must copy them.
 */
package com.onemember.hub.secrets;
