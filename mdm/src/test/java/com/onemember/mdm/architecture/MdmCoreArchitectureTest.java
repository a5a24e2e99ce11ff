package com.onemember.mdm.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The MDM core (standardizing, matching, scoring, blocking, clustering, survivorship) is plain Java
 * so that it can be tested and benchmarked without Spring, a database or a broker. Persistence and
 * ingest sit behind it.
 */
@AnalyzeClasses(
    packages = "com.onemember.mdm",
    importOptions = ImportOption.DoNotIncludeTests.class)
class MdmCoreArchitectureTest {

  @ArchTest
  static final ArchRule coreIsPlainJava =
      noClasses()
          .that()
          .resideInAnyPackage(
              "com.onemember.mdm.standardize..",
              "com.onemember.mdm.matching..",
              "com.onemember.mdm.golden..",
              "com.onemember.mdm.scoring..",
              "com.onemember.mdm.blocking..",
              "com.onemember.mdm.clustering..",
              "com.onemember.mdm.tags..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.springframework..",
              "org.apache.camel..",
              "jakarta.persistence..",
              "org.hibernate..",
              "com.fasterxml.jackson..",
              "com.onemember.mdm.store..",
              "com.onemember.mdm.ingest..");
}
