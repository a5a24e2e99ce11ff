package com.onemember.connectors;

import com.onemember.connectors.customwebhook.CustomWebhookKind;
import com.onemember.connectors.frame.ConnectorKind;
import com.onemember.connectors.ospos.OsposKind;
import com.onemember.connectors.pospal.PospalKind;
import com.onemember.connectors.shopify.ShopifyKind;
import com.onemember.connectors.unicenta.UnicentaKind;
import com.onemember.connectors.wechat.MiniProgramKind;
import com.onemember.connectors.wecom.WeComContactsKind;
import com.onemember.connectors.woocommerce.WooCommerceKind;
import com.onemember.connectors.youzan.YouzanKind;
import java.util.List;

/** Every connector kind this build of the hub ships. */
public final class KnownKinds {

  private KnownKinds() {}

  public static List<ConnectorKind> all() {
    return List.of(
        new UnicentaKind(),
        new OsposKind(),
        new PospalKind(),
        new CustomWebhookKind(),
        new ShopifyKind(),
        new WooCommerceKind(),
        new YouzanKind(),
        new MiniProgramKind(),
        new WeComContactsKind());
  }
}
