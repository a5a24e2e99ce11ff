package com.onemember.mdm.ingest;

import com.onemember.mdm.golden.SurvivorshipRules;
import java.util.List;

/**
 * Trust that sources declare for themselves, where a source is declared (a connector's instance
 * file gives {@code trust}): it counts before {@code onemember.survivorship.source-trust}, so the
 * instance file is the one place to set it.
 */
public interface DeclaredSourceTrust {

  List<SurvivorshipRules.SourceTrust> trusts();
}
