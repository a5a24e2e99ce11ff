/**
 * uniCenta oPOS: its {@code customers} table read over JDBC and mapped to source records, and the
 * golden id and tags written back through the statements the POS owner gives.
 */
package com.onemember.connectors.unicenta;
