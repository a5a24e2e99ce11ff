/**
 * Turns the text a source system sent into comparable values: mobile numbers in any of the formats
 * clerks and web shops use, e-mail addresses, Chinese and romanised names (with titles such as 王先生
 * reduced to a surname and a gender hint), gender codes and birthdays in the many layouts found in
 * store sheets. A value that cannot be understood is reported with a reason in Chinese and English
 * rather than guessed, because a wrong phone or birthday would merge the wrong people. Plain Java:
 * no framework imports.
 */
package com.onemember.mdm.standardize;
