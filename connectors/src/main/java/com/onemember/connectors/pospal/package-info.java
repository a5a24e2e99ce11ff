/**
 * Pospal (银豹), a cloud POS many Chinese stores run: its members read through the open API ({@code
 * customerOpenApi/queryCustomerPages}, signed {@code data-signature} = upper-case MD5 of the app
 * key and the exact body), page by page with Pospal's {@code postBackParameter}, slowing down when
 * Pospal says the account's quota is used up, and mapped to source records.
 */
package com.onemember.connectors.pospal;
