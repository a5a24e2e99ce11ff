/**
 * Personal data by role: the answers that carry members' phones, e-mails, birthdays, addresses and
 * id numbers are masked for stewards and auditors, who reveal a member with a reason; every
 * unmasked answer and every reveal goes into the access log, which auditors read.
 */
package com.onemember.hub.privacy;
