package com.onemember.mdm.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.onemember.mdm.store.RecordJson;
import java.math.BigInteger;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

/**
 * Hub instances sharing a database must take the same lock for the same key, whichever version they
 * run: the lock id is still the first 16 hex digits of the key's SHA-256 read as a long.
 */
class KeyLocksTest {

  @Test
  void theLockIdOfAKeyIsTheOneEarlierVersionsTook() throws Exception {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    for (String key :
        new String[] {
          "MOBILE:13812345678",
          "NAME_CITY:王伟|上海",
          "record:pos-store-12:880012028109",
          "WECHAT_UNIONID:o6_bmasdasdsad6_2sgVt7hMZOPfL",
          ""
        }) {
      long before = new BigInteger(RecordJson.sha256(key).substring(0, 16), 16).longValue();
      assertThat(KeyLocks.lockId(sha256, key)).as(key).isEqualTo(before);
    }
  }
}
