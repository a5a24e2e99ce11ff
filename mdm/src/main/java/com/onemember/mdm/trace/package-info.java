/**
 * The correlation id that follows one piece of work through the hub: an upload or a connector run,
 * its messages on the queue, the matching, the golden-record events it causes and their
 * publication. It lives in the logging context (SLF4J's MDC) of the thread doing the work, so that
 * every log line says what it belongs to, and is stored with each golden event.
 */
package com.onemember.mdm.trace;
