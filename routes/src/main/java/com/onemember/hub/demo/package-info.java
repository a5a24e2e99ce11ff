/**
 * The demo run ({@code --onemember.demo.enabled=true}): imports the sample exports shipped in
 * {@code config/demo/} through the same import path as the API, waits for matching to finish and
 * prints one summary line and the URLs to look at. Re-running it is harmless: imports are
 * idempotent.
 */
package com.onemember.hub.demo;
