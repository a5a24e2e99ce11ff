/**
 * Who may call the hub: every {@code /api/**} call carries {@code Authorization: Bearer <token>}.
 * The first admin token comes from {@code ONEMEMBER_ADMIN_TOKEN}; on the embedded defaults an unset
 * token is generated once and kept in the data directory so scripts keep working across restarts.
 * Tokens are compared by SHA-256 digest in constant time and never logged. Only the health endpoint
 * of the actuator is public.
 */
package com.onemember.hub.security;
