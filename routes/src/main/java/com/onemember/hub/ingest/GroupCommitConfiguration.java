package com.onemember.hub.ingest;

import com.onemember.hub.HubProperties;
import com.onemember.mdm.ingest.bulk.BulkLoad;
import com.onemember.mdm.ingest.bulk.GroupCommit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The hub's one {@link GroupCommit}, sized by {@code onemember.ingest.group-size} and {@code
 * group-wait}: the records the ingest consumers hold at the same moment are loaded together.
 */
@Configuration(proxyBeanMethods = false)
class GroupCommitConfiguration {

  @Bean
  GroupCommit groupCommit(
      BulkLoad bulk, PlatformTransactionManager transactions, HubProperties hub) {
    return new GroupCommit(
        bulk,
        new TransactionTemplate(transactions),
        hub.ingest().groupSize(),
        hub.ingest().groupWait());
  }
}
