/**
 * The canonical member language every part of the hub speaks: a {@link
 * com.onemember.canonical.SourceRecord} is one system's copy of a customer as it arrived, a {@link
 * com.onemember.canonical.Member} is the golden record the hub keeps for that person. Types here
 * are immutable records with no framework dependencies so that connectors, the MDM core and
 * consuming systems can share them.
 */
package com.onemember.canonical;
