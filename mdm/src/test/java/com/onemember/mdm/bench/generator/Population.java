package com.onemember.mdm.bench.generator;

import java.util.List;

/**
 * One generated population: the records, and the people they describe (only people with at least
 * one record), for statistics and tests that need more truth than {@link GeneratedRecord} carries.
 */
record Population(List<GeneratedRecord> records, List<Person> people) {}
