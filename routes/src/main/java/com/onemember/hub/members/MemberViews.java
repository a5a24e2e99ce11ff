package com.onemember.hub.members;

import com.onemember.api.model.Address;
import com.onemember.api.model.Consent;
import com.onemember.api.model.Gender;
import com.onemember.api.model.Identifier;
import com.onemember.api.model.IdentifierType;
import com.onemember.api.model.Lineage;
import com.onemember.api.model.LineageSource;
import com.onemember.api.model.Member;
import com.onemember.api.model.Purchases;
import com.onemember.api.model.ServingStaff;
import com.onemember.api.model.SourceRecord;
import com.onemember.api.model.Tag;
import com.onemember.mdm.standardize.StandardizedRecord;
import com.onemember.mdm.store.MemberEntity;
import com.onemember.mdm.store.MemberRepository;
import com.onemember.mdm.store.RecordJson;
import com.onemember.mdm.store.SourceRecordEntity;
import com.onemember.mdm.store.SourceRecordRepository;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.stereotype.Component;

/** Maps stored members onto the contract's DTOs. */
@Component
public class MemberViews {

  private final MemberRepository members;
  private final SourceRecordRepository records;

  MemberViews(MemberRepository members, SourceRecordRepository records) {
    this.members = members;
    this.records = records;
  }

  public Member view(MemberEntity entity) {
    com.onemember.canonical.Member golden = RecordJson.member(entity.getGolden());
    Member dto =
        new Member()
            .id(entity.getId())
            .version(entity.getVersion())
            .name(golden.name())
            .gender(Gender.fromValue(golden.gender().name()))
            .birthday(golden.birthday())
            .createdAt(time(entity.getCreatedAt()))
            .updatedAt(time(entity.getUpdatedAt()));
    golden.identifiers().forEach(i -> dto.addIdentifiersItem(identifier(i)));
    golden
        .addresses()
        .forEach(
            a ->
                dto.addAddressesItem(
                    new Address()
                        .province(a.province())
                        .city(a.city())
                        .district(a.district())
                        .line(a.line())));
    golden
        .consents()
        .forEach(
            c ->
                dto.addConsentsItem(
                    new Consent()
                        .channel(c.channel())
                        .granted(c.granted())
                        .recordedAt(c.recordedAt() == null ? null : time(c.recordedAt()))));
    golden.tags().forEach(t -> dto.addTagsItem(new Tag().name(t.name()).source(t.source())));
    golden.servedBy().forEach(s -> dto.addServedByItem(servingStaff(s)));
    if (golden.purchases() != null) {
      dto.purchases(
          new Purchases()
              .orders(golden.purchases().orders())
              .spent(golden.purchases().spent())
              .lastPurchaseAt(
                  golden.purchases().lastPurchaseAt() == null
                      ? null
                      : time(golden.purchases().lastPurchaseAt()))
              .stores(golden.purchases().stores()));
    }
    golden
        .lineage()
        .forEach(
            l -> {
              Lineage view =
                  new Lineage()
                      .attribute(l.attribute())
                      .value(l.value())
                      .rule(l.rule())
                      .reason(l.reason());
              l.sources()
                  .forEach(
                      from ->
                          view.addSourcesItem(
                              new LineageSource()
                                  .source(from.source())
                                  .sourceRecordId(from.sourceRecordId())
                                  .sourceUpdatedAt(
                                      from.sourceUpdatedAt() == null
                                          ? null
                                          : time(from.sourceUpdatedAt()))
                                  .receivedAt(time(from.receivedAt()))));
              dto.addLineageItem(view);
            });
    members.findByMergedInto(entity.getId()).forEach(m -> dto.addMergedIdsItem(m.getId()));
    records
        .findByMemberIdOrderByIdAsc(entity.getId())
        .forEach(r -> dto.addSourceRecordsItem(view(r)));
    return dto;
  }

  private static SourceRecord view(SourceRecordEntity entity) {
    StandardizedRecord clean = RecordJson.clean(entity.getClean());
    SourceRecord dto =
        new SourceRecord()
            .source(entity.getSource())
            .sourceRecordId(entity.getSourceRecordId())
            .receivedAt(time(entity.getReceivedAt()))
            .name(clean.name() == null ? null : clean.name().display())
            .nickname(clean.nickname())
            .gender(Gender.fromValue(clean.gender().name()))
            .birthday(clean.birthday() == null ? null : clean.birthday().toString())
            .raw(rawCells(entity));
    clean.identifiers().forEach(i -> dto.addIdentifiersItem(identifier(i)));
    clean.servedBy().forEach(s -> dto.addServedByItem(servingStaff(s)));
    return dto;
  }

  /** The cells as they arrived: the raw column lives inside the stored SourceRecord JSON. */
  private static java.util.Map<String, String> rawCells(SourceRecordEntity entity) {
    return RecordJson.sourceRecord(entity.getRaw()).raw();
  }

  private static Identifier identifier(com.onemember.canonical.Identifier i) {
    return new Identifier()
        .type(IdentifierType.fromValue(i.type().name()))
        .value(i.value())
        .scope(i.scope());
  }

  private static ServingStaff servingStaff(com.onemember.canonical.ServingStaff s) {
    return new ServingStaff()
        .source(s.source())
        .staffId(s.staffId())
        .since(s.since() == null ? null : time(s.since()))
        .departedAt(s.departedAt() == null ? null : time(s.departedAt()));
  }

  private static OffsetDateTime time(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
