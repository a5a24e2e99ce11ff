/**
 * PostgreSQL advisory locks held for as long as a hub lives, on a database session of their own:
 * how several hubs on one database agree who leads a connector and who finishes an import, with
 * nothing to expire by the clock (a hub that dies loses its session, and its locks with it). Every
 * lock the hub names, session or transaction, takes its key the same way ({@link
 * com.onemember.hub.locks.LockSession#KEY_OF_NAME}).
 */
package com.onemember.hub.locks;
