/** The periodic re-evaluation of tag rules that change with the date alone. */
package com.onemember.hub.tags;
