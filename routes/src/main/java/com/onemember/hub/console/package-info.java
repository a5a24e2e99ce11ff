/**
 * The console at {@code /console}: pages for data stewards, auditors and IT staff, in Simplified
 * Chinese and English. The pages are rendered on the server (Thymeleaf: layout, words, the menu a
 * role may see); each page's script calls the hub's own API with the console session, so the
 * console can never see or do more than the logged-in token, and personal data is masked, logged
 * and refused exactly as for an integrator. No Node toolchain: the scripts are plain ES modules
 * served as they are.
 */
package com.onemember.hub.console;
