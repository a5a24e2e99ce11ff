package com.onemember.connectors.woocommerce;

import com.onemember.connectors.frame.SourceUnavailable;
import com.onemember.connectors.frame.Writeback;
import com.onemember.connectors.frame.WritebackSink;
import com.onemember.connectors.woocommerce.api.invoker.ApiException;
import com.onemember.connectors.woocommerce.api.model.Customer;
import com.onemember.connectors.woocommerce.api.model.CustomerUpdate;
import com.onemember.connectors.woocommerce.api.model.MetaData;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes a customer's golden id and golden tags into its {@code meta_data}, under the keys {@code
 * <meta-prefix>golden_id} (text) and {@code <meta-prefix>tags} (a list of tag names), which a theme
 * or plugin can read. WooCommerce customers have no tags of their own, so the hub's list is the
 * whole of it. The customer is read first and nothing is written when it holds both already: the
 * shop answers a write with {@code customer.updated}, and that webhook must end here rather than
 * come back as a new change.
 */
final class WooCommerceWriteback implements WritebackSink {

  private final WooCommerceClient client;
  private final String goldenKey;
  private final String tagsKey;

  WooCommerceWriteback(WooCommerceClient client, String prefix) {
    this.client = client;
    this.goldenKey = prefix + "golden_id";
    this.tagsKey = prefix + "tags";
  }

  @Override
  public void write(Writeback writeback) throws Refused {
    long id;
    try {
      id = Long.parseLong(writeback.sourceRecordId());
    } catch (NumberFormatException e) {
      throw new Refused(
          "不是 WooCommerce 的顾客 id / not a WooCommerce customer id: " + writeback.sourceRecordId(),
          e);
    }
    try {
      Customer customer;
      try {
        customer = client.call("GET /customers/" + id, () -> client.customers.getCustomer(id));
      } catch (SourceUnavailable e) {
        if (e.getCause() instanceof ApiException api && api.getCode() == 404) {
          return; // deleted in the shop meanwhile: its customer.deleted withdraws the record
        }
        throw e;
      }
      List<MetaData> changes = new ArrayList<>();
      String golden = writeback.goldenId().toString();
      if (!Objects.equals(golden, text(meta(customer, goldenKey)))) {
        changes.add(new MetaData().key(goldenKey).value(golden));
      }
      if (writeback.tags() != null && !writeback.tags().equals(list(meta(customer, tagsKey)))) {
        changes.add(new MetaData().key(tagsKey).value(List.copyOf(writeback.tags())));
      }
      if (changes.isEmpty()) {
        return;
      }
      CustomerUpdate update = new CustomerUpdate().metaData(changes);
      client.call("PUT /customers/" + id, () -> client.customers.updateCustomer(id, update));
    } catch (SourceUnavailable e) {
      throw new Refused(e.getMessage(), e);
    }
  }

  private static Object meta(Customer customer, String key) {
    if (customer.getMetaData() == null) {
      return null;
    }
    for (MetaData m : customer.getMetaData()) {
      if (key.equals(m.getKey())) {
        return m.getValue();
      }
    }
    return null;
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  /** A stored tag list: WordPress gives back an array (or, from a plugin, an object of values). */
  private static List<String> list(Object value) {
    List<String> tags = new ArrayList<>();
    if (value instanceof List<?> l) {
      l.forEach(t -> tags.add(String.valueOf(t)));
    } else if (value instanceof java.util.Map<?, ?> m) {
      m.values().forEach(t -> tags.add(String.valueOf(t)));
    } else {
      return null;
    }
    return tags;
  }
}
