/** Real servers the connector tests talk to: an embedded MariaDB for the POS kinds. */
package com.onemember.connectors.testing;
