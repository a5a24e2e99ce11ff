/**
 * The REST contract's shared parts: the JSON error every failing call answers with (status, a
 * stable code, a message in Chinese and English) and the mapping of canonical types onto the DTOs
 * generated from the OpenAPI file.
 */
package com.onemember.hub.api;
