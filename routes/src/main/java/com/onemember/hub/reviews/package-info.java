/**
 * {@code /api/v1/reviews}: the pairs the matcher left to a data steward, with both members and the
 * score breakdown that explains why the pair was neither merged nor let go.
 */
package com.onemember.hub.reviews;
