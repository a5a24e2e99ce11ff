package com.onemember.hub.audit;

import com.onemember.mdm.audit.EntryAttestations;
import com.onemember.mdm.audit.MergeLog;
import java.io.IOException;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The merge log's key, the attestations made with it, and the checkpoint file. */
@Configuration(proxyBeanMethods = false)
class MergeLogAnchoring {

  @Bean
  MergeLogKey mergeLogKey(MergeLogSettings settings) throws IOException {
    return MergeLogKey.load(settings);
  }

  @Bean
  EntryAttestations entryAttestations(MergeLogKey key) {
    return key.attestations();
  }

  @Bean
  MergeLogCheckpoints mergeLogCheckpoints(
      MergeLog mergeLog, MergeLogKey key, MergeLogSettings settings, Clock clock) {
    return new MergeLogCheckpoints(mergeLog, key, settings.checkpointFile(), clock);
  }
}
