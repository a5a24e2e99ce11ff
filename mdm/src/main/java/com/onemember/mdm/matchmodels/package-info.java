/**
 * The governed match model: the engine the ingest decides with ({@link
 * com.onemember.mdm.matchmodels.MatchEngine}), the versions stored in PostgreSQL, training on the
 * hub's own records as an explicit action, the dry run of a model over the stored records, and
 * activation by a person, logged in the merge log. Nothing here changes a member: a model only
 * decides the records that arrive after it is activated.
 */
package com.onemember.mdm.matchmodels;
