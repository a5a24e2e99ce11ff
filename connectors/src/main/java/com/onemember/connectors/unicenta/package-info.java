/**
 * uniCenta oPOS: its {@code customers} table read over JDBC and mapped to source records. Writing
 * the golden id and tags back is still to come.
 */
package com.onemember.connectors.unicenta;
