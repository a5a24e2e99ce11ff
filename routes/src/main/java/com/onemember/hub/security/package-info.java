/**
 * Who may call the hub: every {@code /api/**} call carries {@code Authorization: Bearer <token>}.
 * The first admin token comes from {@code ONEMEMBER_ADMIN_TOKEN}; on the embedded defaults an unset
 * token is generated once and kept in the data directory so scripts keep working across restarts.
 * An admin gives each person and system a named token with a role ({@link
 * com.onemember.hub.security.ApiTokens}, {@code /api/v1/tokens}); the token's name is the actor of
 * what it changes. Each operation admits the roles its {@code x-roles} in the contract lists
 * ({@link com.onemember.hub.security.OperationRoles}, enforced by {@link
 * com.onemember.hub.security.RoleCheck}). Tokens are kept and compared as SHA-256 digests and never
 * logged. Only the health endpoint of the actuator is public.
 */
package com.onemember.hub.security;
