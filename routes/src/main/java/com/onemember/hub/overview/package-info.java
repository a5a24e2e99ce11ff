/** The hub at a glance: counts and daily series for the console's overview and for dashboards. */
package com.onemember.hub.overview;
