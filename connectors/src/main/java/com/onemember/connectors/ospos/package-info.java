/**
 * Open Source Point of Sale (OSPOS): its customers read over JDBC from MySQL or MariaDB and mapped
 * to source records, and the golden id and tags written back through the statements the POS owner
 * gives.
 */
package com.onemember.connectors.ospos;
