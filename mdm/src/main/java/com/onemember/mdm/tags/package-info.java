/**
 * Tags a member earns by rule (config/mdm/tags.yaml): from the purchases its source records report,
 * added up across systems, from its birthday, and from the time since its last purchase. Plain
 * Java: no framework imports.
 */
package com.onemember.mdm.tags;
